// Where the recorder package convprobe_torch (python/convprobe_torch) is, for PYTHONPATH: `capture --torch`
// runs `python3 -m convprobe_torch` with it, and a user adds it to PYTHONPATH for the one-line API
// (docs/torch-recorder.md). The build copies the package to <build>/python/ (next to <build>/bin/) and
// `cmake --install` puts it in <prefix>/<datadir>/convprobe/python/ (python/CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

namespace convprobe::sources {

/// The folders that may hold convprobe_torch/, in the order they are tried: `env_value` (the value of
/// $CONVPROBE_PYTHONPATH, if set and not empty); for the binary `exe` (/proc/self/exe), <exe dir>/../python
/// (the build tree) and <exe dir>/<bindir-to-datadir>/convprobe/python (installed, wherever the prefix
/// moved); the configured install folder <prefix>/<datadir>/convprobe/python.
[[nodiscard]] std::vector<std::string> recorder_python_candidates(const std::string& env_value,
                                                                  const std::string& exe);

/// The first of `candidates` with a convprobe_torch/__init__.py in it; "" when none has.
[[nodiscard]] std::string first_with_recorder(const std::vector<std::string>& candidates);

/// first_with_recorder(recorder_python_candidates($CONVPROBE_PYTHONPATH, /proc/self/exe)).
[[nodiscard]] std::string recorder_python_path();

}  // namespace convprobe::sources
