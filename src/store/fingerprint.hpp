// Building a run's Fingerprint on this machine, and its JSON form (docs/json-schema.md, the `runs` table).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace convprobe {

/// The fingerprint of a run on this machine now: host name, CPU model (/proc/cpuinfo), the backend's name,
/// version and devices (their names; their `details` joined as the driver, so backends keep `details` free
/// of values that change between runs), convprobe's version, the date, the command line, and every
/// environment variable named CUDA_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES or OMP_NUM_THREADS or starting with
/// MIOPEN_, CUDNN_, ONEDNN_, DNNL_, TORCH_CUDNN_ or one of `env_prefixes`, plus the backend's
/// worker_env_overrides as "<NAME> (forced workers)". All of the backend's devices.
[[nodiscard]] Fingerprint make_fingerprint(const BackendInfo& info,
                                           const std::vector<std::string>& env_prefixes,
                                           const std::string& command_line);
/// The same, for the devices with these indexes only (the devices a run actually uses).
[[nodiscard]] Fingerprint make_fingerprint(const BackendInfo& info, const std::vector<int>& device_indexes,
                                           const std::string& command_line,
                                           const std::vector<std::string>& env_prefixes = {});

/// JSON form: every field plus "identity".
[[nodiscard]] nlohmann::json fingerprint_to_json(const Fingerprint& fp);
/// Inverse of fingerprint_to_json ("identity" is recomputed, not read). Missing fields stay empty; throws
/// nlohmann::json::exception when a field has the wrong type.
[[nodiscard]] Fingerprint fingerprint_from_json(const nlohmann::json& j);

}  // namespace convprobe
