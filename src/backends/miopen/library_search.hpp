// Finding libMIOpen.so and the HIP runtime at run time. Search order for each library: the file or
// directory in its CONVPROBE_* variable, $ROCM_PATH/lib, /opt/rocm/lib, then the dynamic loader's own path.
// convprobe's test doubles are loaded only through CONVPROBE_MIOPEN_TEST_DOUBLE; a library exporting the
// doubles' marker symbol found by the real search is refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace convprobe::miopen {

/// The test-only variable: path of libconvprobe_test_miopen_double.so, or the directory holding both doubles.
inline constexpr const char* kTestDoubleEnv = "CONVPROBE_MIOPEN_TEST_DOUBLE";
inline constexpr const char* kMiopenDoubleFile = "libconvprobe_test_miopen_double.so";
inline constexpr const char* kHipDoubleFile = "libconvprobe_test_hip_double.so";

struct LibrarySpec {
  std::string what;                ///< "MIOpen", "HIP runtime"
  std::string env_var;             ///< CONVPROBE_MIOPEN_LIB, CONVPROBE_HIP_LIB
  std::vector<std::string> names;  ///< file names, most specific last is fine: all are tried
};

struct OpenedLibrary {
  void* handle = nullptr;
  std::string path;  ///< what was opened (a path, or a bare name resolved by the loader)
};

/// Directories searched before the loader path, in order (without the loader path itself).
[[nodiscard]] std::vector<std::string> search_dirs(const LibrarySpec& spec);

/// Open the library by the search order. On failure returns nullopt and *reason lists every place tried and
/// why it failed, e.g. "MIOpen not found: /opt/rocm/lib/libMIOpen.so: no such file; loader path
/// (libMIOpen.so): cannot open shared object file".
[[nodiscard]] std::optional<OpenedLibrary> open_library(const LibrarySpec& spec, std::string* reason);

/// A library already in the process under one of these names (RTLD_NOLOAD), e.g. the HIP runtime that
/// libMIOpen.so pulled in: using that copy avoids two HIP runtimes in one process.
[[nodiscard]] std::optional<OpenedLibrary> already_loaded(const std::vector<std::string>& names);

/// Open an explicitly named test double; refuses a file without the doubles' marker.
[[nodiscard]] std::optional<OpenedLibrary> open_test_double(const std::string& path, std::string* reason);

}  // namespace convprobe::miopen
