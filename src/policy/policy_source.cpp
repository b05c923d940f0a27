#include "policy/policy_source.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "policy/emitters.hpp"
#include "policy/text_safety.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe {

namespace {

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
    const std::string t(trim(line));
    if (t.empty() || t[0] == '#') continue;
    const std::string prefix = "export ";
    const auto eq = t.find('=');
    if (t.rfind(prefix, 0) != 0 || eq == std::string::npos) {
      *err = fmt::format("line {}: '{}' is not an `export NAME=VALUE` line", number, sanitize_comment(t, 80));
      return false;
    }
    const std::string name(trim(t.substr(prefix.size(), eq - prefix.size())));
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

bool read_profile_source(const PolicyText& file, PolicySource* out, std::string* err) {
  std::string why;
  if (!parse_profile(file.text, &out->env, &why)) {
    *err = fmt::format("profile '{}': {}", file.path, why);
    return false;
  }
  for (const auto& [name, value] : out->env) {
    const std::string b = backend_of_variable(name);
    if (b.empty()) continue;
    if (!out->backend.empty() && out->backend != b) {
      *err = fmt::format("profile '{}' sets variables of both {} and {}; verify one backend at a time",
                         file.path, out->backend, b);
      return false;
    }
    out->backend = b;
    if (name.rfind("MIOPEN_DEBUG_", 0) == 0 && !miopen::parse_bool(value)) {
      *err =
          fmt::format("profile '{}': {}='{}' is not a value MIOpen parses (it would throw); expected 0 or 1",
                      file.path, name, sanitize_comment(value, 40));
      return false;
    }
  }
  return true;
}

namespace {

/// The file's text, and its JSON document when it is JSON; a JSON file that does not parse is refused here,
/// whatever format it was meant to be.
bool read_policy_text(const std::string& path, PolicyText* out, std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = fmt::format("cannot read policy file '{}'", path);
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  out->path = path;
  out->absolute = std::filesystem::absolute(path).string();
  out->text = buffer.str();
  const auto first = out->text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || out->text[first] != '{') return true;
  try {
    out->json = nlohmann::json::parse(out->text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range.406 for 1e400
    *err = fmt::format("policy file '{}' is not valid JSON: {}", path, e.what());
    return false;
  }
  return true;
}

}  // namespace

bool read_policy_source(const std::string& path, PolicySource* out, std::string* err) {
  PolicyText file;
  if (!read_policy_text(path, &file, err)) return false;
  for (const Emitter& emitter : emitters()) {
    PolicySource src;
    src.path = file.absolute;
    switch (emitter.read_back(file, &src, err)) {
      case ReadBack::not_this_format:
        continue;
      case ReadBack::invalid:
        return false;
      case ReadBack::read:
        src.format = std::string(emitter.name);
        *out = std::move(src);
        return true;
    }
  }
  *err = fmt::format("policy file '{}' is in no format convprobe reads; expected {}", path, emitter_names());
  return false;
}

}  // namespace convprobe
