#include "vendor/cudnn_errata.hpp"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

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
    *err = where(origin, index, "engine") + " is " +
           (rule.contains("engine") ? rule["engine"].dump() : "missing") +
           "; expected a JSON integer (cudnn-frontend rejects strings such as \"38\")";
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
  const std::string prefix = rule.operation + "_eng" + std::to_string(rule.engine) + "_";
  const std::string padded = tag + "_";
  if (padded.compare(0, prefix.size(), prefix) != 0) return false;
  if (version < rule.version_start || version >= rule.version_end) return false;
  for (const std::string& knob : rule.knobs) {
    if (tag.find(knob) == std::string::npos) return false;
  }
  return true;
}

bool Errata::parse(const std::string& json_text, const std::string& origin, std::string* err) {
  rules_.clear();
  origin_ = origin;
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    *err = origin + ": not valid JSON";
    return false;
  }
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

std::optional<ErrataRule> Errata::blocking_rule(const std::string& tag, uint64_t version) const {
  for (const ErrataRule& rule : rules_) {
    if (rule_matches(rule, tag, version)) return rule;
  }
  return std::nullopt;
}

}  // namespace convprobe::cudnn
