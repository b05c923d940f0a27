// The places are compiled in by src/CMakeLists.txt: CONVPROBE_PYTHON_FROM_BINDIR (the install's datadir
// folder relative to its bindir, e.g. "../share/convprobe/python") and CONVPROBE_PYTHON_INSTALL_DIR
// (absolute).
#include "sources/torch_recorder_location.hpp"

#include <cstdlib>
#include <filesystem>

#if !defined(CONVPROBE_PYTHON_FROM_BINDIR) || !defined(CONVPROBE_PYTHON_INSTALL_DIR)
#error \
    "src/CMakeLists.txt defines CONVPROBE_PYTHON_FROM_BINDIR and CONVPROBE_PYTHON_INSTALL_DIR for this file"
#endif

namespace convprobe::sources {

std::vector<std::string> recorder_python_candidates(const std::string& env_value, const std::string& exe) {
  std::vector<std::string> dirs;
  if (!env_value.empty()) dirs.push_back(env_value);
  if (!exe.empty()) {
    const std::filesystem::path bin = std::filesystem::path(exe).parent_path();
    dirs.push_back((bin / ".." / "python").lexically_normal().string());
    dirs.push_back((bin / CONVPROBE_PYTHON_FROM_BINDIR).lexically_normal().string());
  }
  dirs.emplace_back(CONVPROBE_PYTHON_INSTALL_DIR);
  return dirs;
}

std::string first_with_recorder(const std::vector<std::string>& candidates) {
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::path(dir) / "convprobe_torch" / "__init__.py", ec))
      return dir;
  }
  return "";
}

std::string recorder_python_path() {
  const char* env = std::getenv("CONVPROBE_PYTHONPATH");
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return first_with_recorder(recorder_python_candidates(env != nullptr ? env : "", ec ? "" : exe.string()));
}

}  // namespace convprobe::sources
