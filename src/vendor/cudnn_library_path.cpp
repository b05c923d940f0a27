#include "vendor/cudnn_library_path.hpp"

#include <glob.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

namespace convprobe {

namespace {

constexpr const char* kCudnnLibrary = "libcudnn.so.9";

bool has_cudnn(const std::string& dir) {
  std::error_code ec;
  return !dir.empty() && std::filesystem::exists(std::filesystem::path(dir) / kCudnnLibrary, ec);
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

/// Every match of a glob pattern, in glob's (lexical) order.
std::vector<std::string> glob_paths(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  return out;
}

std::string search_site_packages() {
  std::vector<std::string> prefixes;
  for (const char* var : {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
    if (auto v = env_or_empty(var); !v.empty()) prefixes.push_back(v);
  }
  if (auto home = env_or_empty("HOME"); !home.empty()) prefixes.push_back(home + "/.local");
  for (const char* p : {"/usr/local", "/usr", "/opt/conda"}) prefixes.emplace_back(p);
  for (const auto& prefix : prefixes) {
    for (const char* sub : {"site-packages", "dist-packages"}) {
      auto matches = glob_paths(prefix + "/lib/python3*/" + sub + "/nvidia/cudnn/lib");
      // Any match will do: one prefix rarely holds two Pythons with different cuDNN wheels.
      for (const auto& dir : matches) {
        if (has_cudnn(dir)) return dir;
      }
    }
  }
  return {};
}

std::string ask_python() {
  // `timeout` bounds a Python that hangs on import (a broken CUDA install can); stderr is discarded.
  const char* command =
      "timeout 10 python3 -c \"import "
      "nvidia.cudnn,os;print(os.path.join(list(nvidia.cudnn.__path__)[0],'lib'))\" "
      "2>/dev/null";
  FILE* pipe = popen(command, "r");
  if (pipe == nullptr) return {};
  std::string out;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) out += buf.data();
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return has_cudnn(out) ? out : std::string();
}

std::string search_cudnn() {
  if (auto root = env_or_empty("CUDNN_PATH"); !root.empty()) {
    for (const char* sub : {"/lib64", "/lib"}) {
      if (has_cudnn(root + sub)) return root + sub;
    }
  }
  if (auto dir = search_site_packages(); !dir.empty()) return dir;
  return ask_python();
}

}  // namespace

std::string find_cudnn_library_dir() {
  static std::once_flag once;
  static std::string dir;
  std::call_once(once, [] { dir = search_cudnn(); });
  return dir;
}

std::string cudnn_worker_library_path() {
  const std::string dir = find_cudnn_library_dir();
  if (dir.empty()) return {};
  // cuDNN's runtime-compiled engines dlopen NVRTC, which a pip install keeps in a sibling wheel folder
  // (nvidia/cu13/lib, nvidia/cuda_nvrtc/lib): put every nvidia/*/lib after cuDNN's own folder.
  std::string path = dir;
  const auto nvidia_root = std::filesystem::path(dir).parent_path().parent_path();
  for (const auto& sibling : glob_paths((nvidia_root / "*" / "lib").string())) {
    if (sibling != dir) path += ":" + sibling;
  }
  return path;
}

}  // namespace convprobe
