// What `devices` and the run fingerprint show for MIOpen: the GPU's gfx name and CU count, the MIOpen and
// HIP versions, and the state of MIOpen's databases (stale find-db entries are a known cause of "it still
// hangs after the fix").
#pragma once

#include <string>
#include <vector>

#include "backends/miopen/runtime.hpp"
#include "convprobe/backend.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {

struct GpuInfo {
  int index = 0;
  std::string name;  ///< marketing name, e.g. "AMD Radeon RX 5600 XT"
  std::string arch;  ///< gcnArchName, e.g. "gfx1010:xnack-"; empty when it could not be read
  int compute_units = 0;
};

/// Every visible device. *note explains a degraded query (no properties entry point, unreadable name).
[[nodiscard]] std::vector<GpuInfo> query_gpus(const Runtime& rt, std::string* note);
/// "gfx1010" from "gfx1010:xnack-" (the part before the first ':').
[[nodiscard]] std::string base_arch(const std::string& arch);

/// "MIOpen 2.17.0" (or "MIOpen (version unknown)").
[[nodiscard]] std::string miopen_version(const Runtime& rt);
/// The loaded MIOpen's version, {0,0,0} when it cannot say (read as the newest release).
[[nodiscard]] MiopenVersion loaded_version(const Runtime& rt);
/// "HIP 5.2.21151" from hipRuntimeGetVersion, or empty.
[[nodiscard]] std::string hip_version(const Runtime& rt);

/// Notes describing MIOpen's user databases and kernel cache: directories, files with size and date, and
/// the variables that change how they are used. Read-only: convprobe never edits these files.
[[nodiscard]] std::vector<std::string> database_notes();

}  // namespace convprobe::miopen
