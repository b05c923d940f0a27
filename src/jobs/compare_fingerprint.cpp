#include "jobs/compare_fingerprint.hpp"

#include <set>

#include "base/text.hpp"

namespace convprobe {

namespace {

constexpr const char* kUnset = "(unset)";

std::string env_value(const Fingerprint& fp, const std::string& name) {
  const auto it = fp.env.find(name);
  return it == fp.env.end() ? kUnset : it->second;
}

}  // namespace

std::vector<FingerprintChange> fingerprint_changes(const Fingerprint& a, const Fingerprint& b) {
  std::vector<FingerprintChange> out;
  const auto field = [&out](const char* name, const std::string& x, const std::string& y) {
    if (x != y) out.push_back(FingerprintChange{name, x, y});
  };
  field("host", a.host, b.host);
  field("cpu", a.cpu, b.cpu);
  field("backend", a.backend, b.backend);
  field("backend_version", a.backend_version, b.backend_version);
  field("devices", join(a.devices, ", "), join(b.devices, ", "));
  field("driver", a.driver, b.driver);
  field("convprobe_version", a.convprobe_version, b.convprobe_version);
  std::set<std::string> names;
  for (const auto& [name, value] : a.env) names.insert(name);
  for (const auto& [name, value] : b.env) names.insert(name);
  for (const auto& name : names) {
    const std::string x = env_value(a, name), y = env_value(b, name);
    if (x != y) out.push_back(FingerprintChange{"env." + name, x, y});
  }
  field("command_line", a.command_line, b.command_line);
  return out;
}

}  // namespace convprobe
