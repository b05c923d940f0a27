#include "vendor/cudnn_errata.hpp"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "vendor/cudnn_plan_tag.hpp"

namespace convprobe::cudnn {
namespace {

using nlohmann::json;

std::string where(const std::string& origin, size_t index, const char* field) {
  return origin + ": rules[" + std::to_string(index) + "]." + field;
}

// The frontend assigns the JSON value to uint64_t: negative integers wrap (so -1 means "no end").
bool read_version(const json& rule, const char* field, uint64_t fallback, const std::string& origin,
                  size_t index, uint64_t* out, std::string* err) {
  *out = fallback;
  if (!rule.contains(field)) return true;
  const json& v = rule[field];
  if (!v.is_number_integer()) {
    *err = where(origin, index, field) + " is " + v.dump() + "; expected a JSON integer (e.g. 91900)";
    return false;
  }
  *out = v.is_number_unsigned() ? v.get<uint64_t>() : static_cast<uint64_t>(v.get<int64_t>());
  return true;
}

bool parse_rule(const json& rule, const std::string& origin, size_t index, ErrataRule* out,
                std::string* err) {
  if (!rule.is_object()) {
    *err = origin + ": rules[" + std::to_string(index) + "] is " + rule.dump() + "; expected an object";
    return false;
  }
  if (!rule.contains("operation") || !rule["operation"].is_string()) {
    *err = where(origin, index, "operation") + " is " +
           (rule.contains("operation") ? rule["operation"].dump() : "missing") +
           "; expected a string such as \"ConvFwd\"";
    return false;
  }
  out->operation = rule["operation"].get<std::string>();
  if (!rule.contains("engine") || !rule["engine"].is_number_integer()) {
    *err =
        where(origin, index, "engine") + " is " +
        (rule.contains("engine") ? rule["engine"].dump() : "missing") +
        "; expected a JSON integer (cudnn-frontend rejects strings such as \"38\": every PyTorch convolution "
        "would raise json type_error.302)";
    return false;
  }
  out->engine = rule["engine"].get<int64_t>();
  if (rule.contains("knob")) {
    const json& knobs = rule["knob"];
    if (!knobs.is_array()) {
      *err = where(origin, index, "knob") + " is " + knobs.dump() + "; expected an array of strings";
      return false;
    }
    for (const json& k : knobs) {
      if (!k.is_string()) {
        *err = where(origin, index, "knob") + " holds " + k.dump() + "; expected strings such as \"k2=1\"";
        return false;
      }
      out->knobs.push_back(k.get<std::string>());
    }
  }
  if (rule.contains("rule_id") && rule["rule_id"].is_string())
    out->rule_id = rule["rule_id"].get<std::string>();
  return read_version(rule, "cudnn_version_start", 0, origin, index, &out->version_start, err) &&
         read_version(rule, "cudnn_version_end", UINT64_MAX, origin, index, &out->version_end, err);
}

}  // namespace

bool rule_matches(const ErrataRule& rule, const std::string& tag, uint64_t version) {
  const std::string prefix = engine_prefix(rule.operation, rule.engine);
  const std::string padded = tag + "_";
  if (padded.compare(0, prefix.size(), prefix) != 0) return false;
  if (version < rule.version_start || version >= rule.version_end) return false;
  for (const std::string& knob : rule.knobs) {
    if (tag.find(knob) == std::string::npos) return false;
  }
  return true;
}

bool Errata::parse(const std::string& json_text, const std::string& origin, std::string* err) {
  const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    rules_.clear();
    origin_ = origin;
    *err = origin + ": not valid JSON";
    return false;
  }
  return parse(doc, origin, err);
}

bool Errata::parse(const json& doc, const std::string& origin, std::string* err) {
  rules_.clear();
  origin_ = origin;
  if (!doc.is_object()) {
    *err = origin + ": top level is " + std::string(doc.type_name()) + "; expected an object with \"rules\"";
    return false;
  }
  if (!doc.contains("rules")) return true;
  const json& rules = doc["rules"];
  if (!rules.is_array()) {
    *err = origin + ": \"rules\" is " + std::string(rules.type_name()) + "; expected an array";
    return false;
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    ErrataRule rule;
    if (!parse_rule(rules[i], origin, i, &rule, err)) {
      rules_.clear();
      return false;
    }
    rules_.push_back(std::move(rule));
  }
  return true;
}

bool Errata::load_file(const std::string& path, std::string* note, std::string* err) {
  rules_.clear();
  origin_ = path;
  std::ifstream in(path);
  if (!in) {
    *note = "errata file " + path + " cannot be opened: no errata applied (as cudnn-frontend does)";
    return true;
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path, err);
}

bool Errata::load_from_env(std::string* note, std::string* err) {
  const char* path = std::getenv("CUDNN_ERRATA_JSON_FILE");
  if (path == nullptr || *path == '\0') {
    rules_.clear();
    origin_.clear();
    return true;
  }
  return load_file(path, note, err);
}

json to_json(const ErrataRule& rule) {
  json j;
  if (!rule.rule_id.empty()) j["rule_id"] = rule.rule_id;
  j["operation"] = rule.operation;
  j["engine"] = rule.engine;  // a JSON integer: cudnn-frontend reads it with get<int64_t>
  if (!rule.knobs.empty()) j["knob"] = rule.knobs;
  // The frontend assigns these to uint64_t: written signed, UINT64_MAX reads back from -1.
  j["cudnn_version_start"] = static_cast<int64_t>(rule.version_start);
  j["cudnn_version_end"] = static_cast<int64_t>(rule.version_end);
  return j;
}

std::string errata_file_text(const std::vector<ErrataRule>& rules) {
  json doc;
  doc["version"] = 1;
  doc["rules"] = json::array();
  for (const ErrataRule& rule : rules) doc["rules"].push_back(to_json(rule));
  return doc.dump(2) + "\n";
}

std::optional<ErrataRule> Errata::blocking_rule(const std::string& tag, uint64_t version) const {
  for (const ErrataRule& rule : rules_) {
    if (rule_matches(rule, tag, version)) return rule;
  }
  return std::nullopt;
}

}  // namespace convprobe::cudnn
