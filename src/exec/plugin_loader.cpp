#include "exec/plugin_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/text.hpp"

namespace convprobe {

namespace {

/// Refuses a plugin built for another ABI before anything of it is called: its types may differ from ours.
bool abi_matches(void* handle, const std::string& path, std::string* reason) {
  const auto* abi = static_cast<const int*>(dlsym(handle, kBackendAbiSymbol));
  if (abi == nullptr) {
    *reason = path + " was built for an older plugin ABI (it has no " + kBackendAbiSymbol +
              "); this convprobe loads plugin ABI " + std::to_string(kBackendAbiVersion) +
              ": rebuild the plugin with this convprobe";
    return false;
  }
  if (*abi != kBackendAbiVersion) {
    *reason = path + " was built for plugin ABI " + std::to_string(*abi) +
              "; this convprobe loads plugin ABI " + std::to_string(kBackendAbiVersion) +
              ": rebuild the plugin with this convprobe";
    return false;
  }
  return true;
}

}  // namespace

std::string self_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

std::vector<std::string> plugin_search_path() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("CONVPROBE_PLUGIN_PATH"); env != nullptr) {
    for (std::string_view dir : split_list(env, ':')) {
      if (!dir.empty()) dirs.emplace_back(dir);
    }
  }
  if (auto exe = self_executable(); !exe.empty()) {
    dirs.push_back(std::filesystem::path(exe).parent_path().string());
  }
  return dirs;
}

std::string find_plugin(const std::string& name) {
  const std::string file = "libconvprobe_backend_" + name + ".so";
  for (const auto& dir : plugin_search_path()) {
    std::error_code ec;
    auto candidate = std::filesystem::path(dir) / file;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
  }
  return {};
}

LoadedBackend::~LoadedBackend() {
  delete backend_;
  // The handle is deliberately not dlclose'd: vendor libraries (CUDA, OpenMP runtimes) register atexit
  // handlers and threads that crash when their code is unmapped before process exit.
  (void)handle_;
}

std::unique_ptr<LoadedBackend> load_backend(const std::string& name, std::string* reason) {
  if (!is_known_backend(name)) {
    *reason = "unknown backend '" + name + "'";
    return nullptr;
  }
  const std::string path = find_plugin(name);
  if (path.empty()) {
    std::string dirs;
    for (const auto& d : plugin_search_path()) dirs += (dirs.empty() ? "" : ":") + d;
    *reason = "plugin libconvprobe_backend_" + name + ".so not found (searched " + dirs +
              "; set CONVPROBE_PLUGIN_PATH)";
    return nullptr;
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* e = dlerror();
    *reason = std::string("cannot load ") + path + ": " + (e != nullptr ? e : "unknown dlopen error");
    return nullptr;
  }
  if (!abi_matches(handle, path, reason)) return nullptr;
  auto entry = reinterpret_cast<convprobe_backend_entry_fn>(dlsym(handle, kBackendEntryName));
  if (entry == nullptr) {
    *reason = path + " does not export " + kBackendEntryName;
    return nullptr;
  }
  std::string error;
  Backend* backend = nullptr;
  try {
    backend = entry(kBackendAbiVersion, &error);
  } catch (
      const std::exception& e) {  // only a hand-written entry lets one out; CONVPROBE_DEFINE_BACKEND does not
    error = e.what();
  }
  if (backend == nullptr) {
    *reason = error.empty() ? name + " plugin refused to start" : error;
    return nullptr;
  }
  return std::make_unique<LoadedBackend>(handle, backend);
}

}  // namespace convprobe
