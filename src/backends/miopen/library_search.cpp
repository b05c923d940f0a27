#include "backends/miopen/library_search.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

#include "backends/miopen/miopen_api.hpp"

namespace convprobe::miopen {
namespace {

namespace fs = std::filesystem;

std::string dl_error() {
  const char* e = dlerror();
  return e != nullptr ? e : "unknown dlopen error";
}

bool is_test_double(void* handle) {
  dlerror();
  return dlsym(handle, miopen_abi::kTestDoubleMarker) != nullptr;
}

void append(std::string* list, const std::string& item) {
  if (!list->empty()) *list += "; ";
  *list += item;
}

// Try one library file (or bare name when `via_loader`). Returns the handle, or records why not.
void* try_open(const std::string& target, bool via_loader, std::string* tried) {
  if (!via_loader) {
    std::error_code ec;
    if (!fs::exists(target, ec)) {
      append(tried, target + ": no such file");
      return nullptr;
    }
  }
  void* handle = dlopen(target.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    append(tried, (via_loader ? "loader path (" + target + ")" : target) + ": " + dl_error());
    return nullptr;
  }
  if (is_test_double(handle)) {
    // Never used by a real search: the doubles only pretend to be MIOpen. The handle is left open on
    // purpose (its constructors already ran; unloading buys nothing).
    append(tried, target + ": is convprobe's test double (loadable only through " +
                      std::string(kTestDoubleEnv) + ")");
    return nullptr;
  }
  return handle;
}

}  // namespace

std::vector<std::string> search_dirs(const LibrarySpec& spec) {
  std::vector<std::string> dirs;
  if (const char* rocm = std::getenv("ROCM_PATH"); rocm != nullptr && *rocm != '\0') {
    dirs.push_back((fs::path(rocm) / "lib").string());
  }
  dirs.push_back("/opt/rocm/lib");
  (void)spec;
  return dirs;
}

std::optional<OpenedLibrary> open_library(const LibrarySpec& spec, std::string* reason) {
  std::string tried;
  std::vector<std::string> files;
  if (const char* env = std::getenv(spec.env_var.c_str()); env != nullptr && *env != '\0') {
    std::error_code ec;
    if (fs::is_directory(env, ec)) {
      for (const auto& name : spec.names) files.push_back((fs::path(env) / name).string());
    } else {
      files.emplace_back(env);  // a full path to the library
    }
  }
  for (const auto& dir : search_dirs(spec)) {
    for (const auto& name : spec.names) files.push_back((fs::path(dir) / name).string());
  }
  for (const auto& file : files) {
    if (void* h = try_open(file, false, &tried)) return OpenedLibrary{h, file};
  }
  for (const auto& name : spec.names) {
    if (void* h = try_open(name, true, &tried)) return OpenedLibrary{h, name};
  }
  *reason = spec.what + " not found (set " + spec.env_var + " or ROCM_PATH): " + tried;
  return std::nullopt;
}

std::optional<OpenedLibrary> already_loaded(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (void* h = dlopen(name.c_str(), RTLD_NOW | RTLD_NOLOAD))
      return OpenedLibrary{h, name + " (already loaded)"};
  }
  return std::nullopt;
}

std::optional<OpenedLibrary> open_test_double(const std::string& path, std::string* reason) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    *reason = std::string(kTestDoubleEnv) + ": cannot load " + path + ": " + dl_error();
    return std::nullopt;
  }
  if (!is_test_double(handle)) {
    *reason = std::string(kTestDoubleEnv) + ": " + path + " is not a convprobe test double (no " +
              miopen_abi::kTestDoubleMarker + " symbol)";
    return std::nullopt;
  }
  return OpenedLibrary{handle, path};
}

}  // namespace convprobe::miopen
