// The convprobe policy file: writer, reader and the candidate filter that `run`, `sweep` and `verify` apply.
// The emitter of this format (policy/emit_convprobe.cpp) only renders what policy_to_json returns.
#include "policy/policy_file.hpp"

#include <fmt/core.h>

#include <fstream>
#include <set>
#include <sstream>

#include "policy/text_safety.hpp"

namespace convprobe {

nlohmann::json policy_to_json(const Policy& policy) {
  nlohmann::json doc;
  doc["schema_version"] = policy.schema_version;
  doc["kind"] = "convprobe-policy";
  doc["backend"] = policy.backend;
  doc["backend_version"] = policy.backend_version;
  doc["runs"] = policy.runs;
  doc["blocked"] = nlohmann::json::array();
  for (const auto& b : policy.blocked) {
    nlohmann::json entry{{"candidate", b.candidate.id},
                         {"family", b.candidate.family},
                         {"reason", b.reason},
                         {"slow", b.slow},
                         {"evidence", nlohmann::json::array()}};
    for (const auto& e : b.evidence) {
      entry["evidence"].push_back(nlohmann::json{{"problem", e.problem},
                                                 {"verdict", to_string(e.verdict)},
                                                 {"detail", e.detail},
                                                 {"run_id", e.run_id}});
    }
    doc["blocked"].push_back(std::move(entry));
  }
  doc["preferred"] = nlohmann::json::array();
  for (const auto& p : policy.preferred) {
    doc["preferred"].push_back(
        nlohmann::json{{"problem", p.problem}, {"candidate", p.candidate}, {"median_ms", p.median_ms}});
  }
  doc["env"] = nlohmann::json::object();
  for (const auto& [name, value] : policy.env) doc["env"][name] = value;
  return doc;
}

namespace {

// Field readers: each failure names the JSON path, what was found and what was expected.
bool read_string(const nlohmann::json& obj, const char* field, const std::string& where, bool required,
                 std::string* out, std::string* err) {
  if (!obj.contains(field)) {
    if (required) *err = fmt::format("{}: missing \"{}\" (a string)", where, field);
    return !required;
  }
  if (!obj[field].is_string()) {
    *err = fmt::format("{}.{} is {}; expected a string", where, field, obj[field].dump());
    return false;
  }
  *out = obj[field].get<std::string>();
  return true;
}

bool read_evidence(const nlohmann::json& j, const std::string& where, Evidence* e, std::string* err) {
  if (!j.is_object()) {
    *err = fmt::format("{} is {}; expected an object", where, j.dump());
    return false;
  }
  std::string verdict;
  if (!read_string(j, "problem", where, true, &e->problem, err) ||
      !read_string(j, "verdict", where, true, &verdict, err) ||
      !read_string(j, "detail", where, false, &e->detail, err)) {
    return false;
  }
  if (!verdict_from_string(verdict, &e->verdict)) {
    *err = fmt::format("{}.verdict '{}' is not a verdict; expected PASS, HANG, CRASH, ...", where, verdict);
    return false;
  }
  if (j.contains("run_id")) {
    if (!j["run_id"].is_number_integer()) {
      *err = fmt::format("{}.run_id is {}; expected an integer", where, j["run_id"].dump());
      return false;
    }
    e->run_id = j["run_id"].get<int64_t>();
  }
  return true;
}

bool read_blocked(const nlohmann::json& j, const std::string& where, BlockedCandidate* b, std::string* err) {
  if (!j.is_object()) {
    *err = fmt::format("{} is {}; expected an object", where, j.dump());
    return false;
  }
  if (!read_string(j, "candidate", where, true, &b->candidate.id, err) ||
      !read_string(j, "family", where, false, &b->candidate.family, err) ||
      !read_string(j, "reason", where, false, &b->reason, err)) {
    return false;
  }
  if (b->candidate.id.empty()) {
    *err = fmt::format("{}.candidate is empty; expected a candidate id", where);
    return false;
  }
  if (j.contains("slow")) {
    if (!j["slow"].is_boolean()) {
      *err = fmt::format("{}.slow is {}; expected true or false", where, j["slow"].dump());
      return false;
    }
    b->slow = j["slow"].get<bool>();
  }
  if (j.contains("evidence")) {
    if (!j["evidence"].is_array()) {
      *err = fmt::format("{}.evidence is {}; expected an array", where, j["evidence"].dump());
      return false;
    }
    for (size_t i = 0; i < j["evidence"].size(); ++i) {
      Evidence e;
      if (!read_evidence(j["evidence"][i], fmt::format("{}.evidence[{}]", where, i), &e, err)) return false;
      b->evidence.push_back(std::move(e));
    }
  }
  return true;
}

bool read_preferred(const nlohmann::json& j, const std::string& where, Preferred* p, std::string* err) {
  if (!j.is_object()) {
    *err = fmt::format("{} is {}; expected an object", where, j.dump());
    return false;
  }
  if (!read_string(j, "problem", where, true, &p->problem, err) ||
      !read_string(j, "candidate", where, true, &p->candidate, err)) {
    return false;
  }
  if (j.contains("median_ms")) {
    if (!j["median_ms"].is_number()) {
      *err = fmt::format("{}.median_ms is {}; expected a number", where, j["median_ms"].dump());
      return false;
    }
    p->median_ms = j["median_ms"].get<double>();
  }
  return true;
}

bool read_env(const nlohmann::json& j, std::map<std::string, std::string>* env, std::string* err) {
  if (!j.is_object()) {
    *err = fmt::format("env is {}; expected an object of NAME: \"value\"", j.dump());
    return false;
  }
  for (const auto& [name, value] : j.items()) {
    if (!valid_env_name(name)) {
      *err = fmt::format("env name '{}' is not a valid variable name; expected [A-Za-z_][A-Za-z0-9_]*",
                         sanitize_comment(name));
      return false;
    }
    if (!value.is_string() || !valid_env_value(value.get<std::string>())) {
      *err = fmt::format("env.{} is {}; expected a string without control characters", name, value.dump());
      return false;
    }
    (*env)[name] = value.get<std::string>();
  }
  return true;
}

}  // namespace

bool policy_from_json(const nlohmann::json& doc, Policy* out, std::string* err) {
  Policy p;
  if (!doc.is_object()) {
    *err = "the policy is not a JSON object";
    return false;
  }
  if (!doc.contains("schema_version") || !doc["schema_version"].is_number_integer()) {
    *err = "missing or non-integer \"schema_version\"; expected 1 (is this a convprobe policy file?)";
    return false;
  }
  // Compared as int64 (an unsigned value above INT64_MAX reads as negative): get<int>() would truncate
  // 4294967297 to 1.
  if (doc["schema_version"].get<int64_t>() != kPolicySchemaVersion) {
    *err = fmt::format("schema_version {} is not supported; this convprobe reads version {}",
                       doc["schema_version"].dump(), kPolicySchemaVersion);
    return false;
  }
  p.schema_version = kPolicySchemaVersion;
  if (!read_string(doc, "backend", "policy", true, &p.backend, err) ||
      !read_string(doc, "backend_version", "policy", false, &p.backend_version, err)) {
    return false;
  }
  if (p.backend.empty()) {
    *err = "policy.backend is empty; expected a backend name";
    return false;
  }
  if (doc.contains("runs") && doc["runs"].is_array()) {
    for (const auto& r : doc["runs"]) {
      if (r.is_number_integer()) p.runs.push_back(r.get<int64_t>());
    }
  }
  for (const char* list : {"blocked", "preferred"}) {
    if (doc.contains(list) && !doc[list].is_array()) {
      *err = fmt::format("policy.{} is {}; expected an array", list, doc[list].dump());
      return false;
    }
  }
  if (doc.contains("blocked")) {
    for (size_t i = 0; i < doc["blocked"].size(); ++i) {
      BlockedCandidate b;
      if (!read_blocked(doc["blocked"][i], fmt::format("blocked[{}]", i), &b, err)) return false;
      p.blocked.push_back(std::move(b));
    }
  }
  if (doc.contains("preferred")) {
    for (size_t i = 0; i < doc["preferred"].size(); ++i) {
      Preferred pref;
      if (!read_preferred(doc["preferred"][i], fmt::format("preferred[{}]", i), &pref, err)) return false;
      p.preferred.push_back(std::move(pref));
    }
  }
  if (doc.contains("env") && !read_env(doc["env"], &p.env, err)) return false;
  *out = std::move(p);
  return true;
}

bool load_policy(const std::string& path, Policy* out, std::string* err) {
  std::ifstream in(path);
  if (!in) {
    *err = fmt::format("cannot read policy file '{}'", path);
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range.406 for 1e400
    *err = fmt::format("policy file '{}' is not valid JSON: {}", path, e.what());
    return false;
  }
  std::string why;
  if (!policy_from_json(doc, out, &why)) {
    *err = fmt::format("policy file '{}': {}", path, why);
    return false;
  }
  return true;
}

std::vector<Candidate> apply_policy(const Policy& policy, const std::vector<Candidate>& candidates,
                                    std::vector<Candidate>* removed) {
  std::set<std::string> blocked;
  for (const auto& b : policy.blocked) blocked.insert(b.candidate.id);
  std::vector<Candidate> kept;
  for (const auto& c : candidates) {
    if (blocked.count(c.id)) {
      if (removed) removed->push_back(c);
    } else {
      kept.push_back(c);
    }
  }
  return kept;
}

}  // namespace convprobe
