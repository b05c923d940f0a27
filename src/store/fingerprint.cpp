// The run fingerprint: what was measured where, and the identity hash --resume compares.
#include "store/fingerprint.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string_view>

#include "store/store_time.hpp"

extern char** environ;  // POSIX: declared by no header in strict C++ mode

namespace convprobe {

namespace {

/// FNV-1a, 64 bit: tiny, stable across platforms and releases (std::hash is neither), good enough to tell
/// environments apart (this is not a security boundary).
class Fnv1a64 {
 public:
  /// Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
  void add(std::string_view field) {
    add_bytes(std::to_string(field.size()));
    add_bytes(":");
    add_bytes(field);
  }
  [[nodiscard]] std::string hex() const { return fmt::format("{:016x}", hash_); }

 private:
  void add_bytes(std::string_view bytes) {
    for (unsigned char byte : bytes) {
      hash_ ^= byte;
      hash_ *= 0x100000001b3ULL;
    }
  }
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// Variables that change which algorithm a library picks or how many devices/threads it sees.
// HSA_/ROCR_: ROCm users on unsupported chips run with HSA_OVERRIDE_GFX_VERSION, which changes every kernel.
constexpr std::array<std::string_view, 7> kEnvPrefixes{"MIOPEN_",      "CUDNN_", "ONEDNN_", "DNNL_",
                                                       "TORCH_CUDNN_", "HSA_",   "ROCR_"};
constexpr std::array<std::string_view, 8> kEnvNames{"CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",
                                                    "OMP_NUM_THREADS",      "NVIDIA_TF32_OVERRIDE",
                                                    "CONVPROBE_MIOPEN_LIB", "CONVPROBE_MIOPEN_TEST_DOUBLE",
                                                    "CONVPROBE_GPU_FAULTS", "CONVPROBE_FAULT_DEVICES"};

bool relevant_env(std::string_view name, const std::vector<std::string>& extra_prefixes) {
  const auto starts = [&](std::string_view prefix) { return !prefix.empty() && name.starts_with(prefix); };
  return std::any_of(kEnvNames.begin(), kEnvNames.end(), [&](std::string_view n) { return name == n; }) ||
         std::any_of(kEnvPrefixes.begin(), kEnvPrefixes.end(), starts) ||
         std::any_of(extra_prefixes.begin(), extra_prefixes.end(), starts);
}

// CONVPROBE_HOST names the machine instead of gethostname(): containers and cluster jobs get a new random
// host name each time, and --resume would never match runs of the same hardware across them.
std::string host_name() {
  if (const char* named = std::getenv("CONVPROBE_HOST"); named != nullptr && *named != '\0') return named;
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown";
  return buffer.data();
}

/// The first "model name" of /proc/cpuinfo (x86); ARM kernels may only give "Hardware" or "CPU part".
std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, fallback;
  while (std::getline(cpuinfo, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    if (key == "model name") return value;
    if (fallback.empty() && (key == "Hardware" || key == "CPU part")) fallback = value;
  }
  return fallback.empty() ? "unknown" : fallback;
}

}  // namespace

std::string Fingerprint::identity() const {
  Fnv1a64 h;
  h.add("convprobe-fingerprint-v1");  // bump if the hashed fields change, so old runs stop matching
  for (const std::string* field : {&host, &cpu, &backend, &backend_version, &driver, &convprobe_version}) {
    h.add(*field);
  }
  h.add(std::to_string(devices.size()));
  for (const auto& d : devices) h.add(d);
  h.add(std::to_string(env.size()));
  for (const auto& [name, value] : env) {  // std::map: sorted by name, so order of setenv does not matter
    h.add(name);
    h.add(value);
  }
  return h.hex();
}

Fingerprint make_fingerprint(const BackendInfo& info, const std::vector<int>& device_indexes,
                             const std::string& command_line, const std::vector<std::string>& env_prefixes) {
  Fingerprint fp;
  fp.host = host_name();
  fp.cpu = cpu_model();
  fp.backend = info.name;
  fp.backend_version = info.version;
  for (int index : device_indexes) {
    const auto device = std::find_if(info.devices.begin(), info.devices.end(),
                                     [index](const DeviceInfo& d) { return d.index == index; });
    if (device == info.devices.end()) {
      fp.devices.push_back(fmt::format("#{} (not reported by the backend)", index));
      continue;
    }
    fp.devices.push_back(device->name);
    if (!device->details.empty() && fp.driver.find(device->details) == std::string::npos) {
      fp.driver += (fp.driver.empty() ? "" : "; ") + device->details;
    }
  }
  fp.convprobe_version = CONVPROBE_VERSION;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = text.substr(0, eq);
    if (relevant_env(name, env_prefixes)) fp.env[std::string(name)] = std::string(text.substr(eq + 1));
  }
  // What some workers ran with instead: recorded under its own name, next to the user's value.
  for (const auto& [name, value] : info.worker_env_overrides) fp.env[name + " (forced workers)"] = value;
  fp.command_line = command_line;
  fp.date = store_detail::utc_now_iso8601();
  return fp;
}

Fingerprint make_fingerprint(const BackendInfo& info, const std::vector<std::string>& env_prefixes,
                             const std::string& command_line) {
  std::vector<int> all;
  for (const auto& device : info.devices) all.push_back(device.index);
  return make_fingerprint(info, all, command_line, env_prefixes);
}

nlohmann::json fingerprint_to_json(const Fingerprint& fp) {
  return nlohmann::json{{"identity", fp.identity()},
                        {"host", fp.host},
                        {"cpu", fp.cpu},
                        {"backend", fp.backend},
                        {"backend_version", fp.backend_version},
                        {"devices", fp.devices},
                        {"driver", fp.driver},
                        {"convprobe_version", fp.convprobe_version},
                        {"env", fp.env},
                        {"command_line", fp.command_line},
                        {"date", fp.date}};
}

Fingerprint fingerprint_from_json(const nlohmann::json& j) {
  const auto text = [&](const char* key) {
    auto it = j.find(key);
    return (it == j.end() || it->is_null()) ? std::string() : it->get<std::string>();
  };
  Fingerprint fp;
  fp.host = text("host");
  fp.cpu = text("cpu");
  fp.backend = text("backend");
  fp.backend_version = text("backend_version");
  fp.driver = text("driver");
  fp.convprobe_version = text("convprobe_version");
  fp.command_line = text("command_line");
  fp.date = text("date");
  if (auto it = j.find("devices"); it != j.end() && !it->is_null())
    fp.devices = it->get<std::vector<std::string>>();
  if (auto it = j.find("env"); it != j.end() && !it->is_null()) {
    fp.env = it->get<std::map<std::string, std::string>>();
  }
  return fp;
}

}  // namespace convprobe
