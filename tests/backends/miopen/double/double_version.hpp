// Which MIOpen release the double pretends to be: CONVPROBE_MIOPEN_DOUBLE_VERSION = 5.2 (default), 5.7, 6.x
// or 7.x, read once. Every behaviour that differs between releases asks at_least() here, so the differences
// are listed once (double_version.cpp) with the MIOpen source that shows them.
#pragma once

namespace convprobe_double {

/// ROCm releases the double models, oldest first (the order at_least() compares).
enum class Release { rocm52 = 0, rocm57 = 1, rocm6x = 2, rocm7x = 3 };

struct Version {
  Release release;
  const char* rocm;         ///< "5.2", "5.7", "6.x", "7.x"
  int major, minor, patch;  ///< what miopenGetVersion answers
  const char* tweak;        ///< MIOpen_VERSION_TWEAK: the last part of the user find-db file's suffix
  int hip;                  ///< what hipRuntimeGetVersion answers (HIP_VERSION encoding)
};

/// The release selected by CONVPROBE_MIOPEN_DOUBLE_VERSION (unknown values: 5.2, the seed's platform).
[[nodiscard]] const Version& version();
[[nodiscard]] inline bool at_least(Release r) {
  return static_cast<int>(version().release) >= static_cast<int>(r);
}

}  // namespace convprobe_double
