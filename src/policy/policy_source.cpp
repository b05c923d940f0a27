#include "policy/policy_source.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "policy/policy_file.hpp"
#include "policy/text_safety.hpp"
#include "vendor/cudnn_errata.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

/// A value as a POSIX shell would read it, for the subset profiles use: bare words and '...' quoting
/// (shell_quote's output, with '\'' for an embedded quote). Anything else is refused.
bool unquote(const std::string& raw, std::string* out) {
  out->clear();
  size_t i = 0;
  while (i < raw.size()) {
    const char ch = raw[i];
    if (ch == '\'') {
      const auto close = raw.find('\'', i + 1);
      if (close == std::string::npos) return false;
      *out += raw.substr(i + 1, close - i - 1);
      i = close + 1;
    } else if (ch == '\\' && i + 1 < raw.size() && raw[i + 1] == '\'') {
      *out += '\'';
      i += 2;
    } else if (plain_env_value(std::string_view(&raw[i], 1))) {
      *out += ch;
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

std::string backend_of_variable(const std::string& name) {
  if (name.rfind("MIOPEN_", 0) == 0) return "miopen";
  if (name.rfind("ONEDNN_", 0) == 0 || name.rfind("DNNL_", 0) == 0) return "onednn";
  if (name.rfind("CUDNN_", 0) == 0 || name.rfind("TORCH_CUDNN_", 0) == 0) return "cudnn";
  return {};
}

}  // namespace

bool parse_profile(const std::string& text, std::map<std::string, std::string>* env, std::string* err) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::string prefix = "export ";
    const auto eq = t.find('=');
    if (t.rfind(prefix, 0) != 0 || eq == std::string::npos) {
      *err = fmt::format("line {}: '{}' is not an `export NAME=VALUE` line", number, sanitize_comment(t, 80));
      return false;
    }
    const std::string name = trim(t.substr(prefix.size(), eq - prefix.size()));
    std::string value;
    if (!valid_env_name(name)) {
      *err = fmt::format("line {}: '{}' is not a variable name", number, sanitize_comment(name, 80));
      return false;
    }
    if (!unquote(t.substr(eq + 1), &value)) {
      *err =
          fmt::format("line {}: the value of {} is not a plain word or a '...'-quoted string", number, name);
      return false;
    }
    (*env)[name] = value;
  }
  return true;
}

bool read_policy_source(const std::string& path, PolicySource* out, std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = fmt::format("cannot read policy file '{}'", path);
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  PolicySource src;
  src.path = std::filesystem::absolute(path).string();
  const auto first = text.find_first_not_of(" \t\r\n");
  std::string why;
  if (first != std::string::npos && text[first] == '{') {
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      *err = fmt::format("policy file '{}' is not valid JSON: {}", path, e.what());
      return false;
    }
    if (doc.contains("rules")) {
      src.format = "cudnn-errata";
      src.backend = "cudnn";
      // Checked by the same reader the cuDNN backend matches with: what it refuses would break a framework.
      cudnn::Errata errata;
      if (!errata.parse(doc, fmt::format("errata file '{}'", path), err)) return false;
      src.errata_rules = errata.rules().size();
      src.env["CUDNN_ERRATA_JSON_FILE"] = src.path;
    } else {
      Policy policy;
      if (!policy_from_json(doc, &policy, &why)) {
        *err = fmt::format("policy file '{}': {}", path, why);
        return false;
      }
      src.format = "convprobe";
      src.backend = policy.backend;
      src.env = policy.env;
      src.policy = std::move(policy);
    }
  } else {
    if (!parse_profile(text, &src.env, &why)) {
      *err = fmt::format("profile '{}': {}", path, why);
      return false;
    }
    for (const auto& [name, value] : src.env) {
      const std::string b = backend_of_variable(name);
      if (b.empty()) continue;
      if (!src.backend.empty() && src.backend != b) {
        *err = fmt::format("profile '{}' sets variables of both {} and {}; verify one backend at a time",
                           path, src.backend, b);
        return false;
      }
      src.backend = b;
      if (name.rfind("MIOPEN_DEBUG_", 0) == 0 && !miopen::parse_bool(value)) {
        *err = fmt::format(
            "profile '{}': {}='{}' is not a value MIOpen parses (it would throw); expected 0 or 1", path,
            name, sanitize_comment(value, 40));
        return false;
      }
    }
    src.format = src.backend == "onednn" ? "onednn-env" : "miopen-env";
  }
  *out = std::move(src);
  return true;
}

}  // namespace convprobe
