// Finding and loading backend plugins (libconvprobe_backend_<name>.so) with dlopen, by name.
// Search order: each directory of $CONVPROBE_PLUGIN_PATH (colon-separated), then the directory of the running
// binary (/proc/self/exe). A missing plugin or a plugin whose runtime library is missing is reported as
// unavailable with the loader's reason; it never aborts the program.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"
#include "exec/backend_registry.hpp"

namespace convprobe {

/// Directories searched for plugins, in order.
[[nodiscard]] std::vector<std::string> plugin_search_path();
/// Full path of the plugin file for `name`, or empty if none exists on the search path.
[[nodiscard]] std::string find_plugin(const std::string& name);

/// A loaded backend that keeps its shared library open for as long as it lives.
class LoadedBackend {
 public:
  LoadedBackend(void* handle, Backend* backend) : handle_(handle), backend_(backend) {}
  ~LoadedBackend();
  LoadedBackend(const LoadedBackend&) = delete;
  LoadedBackend& operator=(const LoadedBackend&) = delete;
  [[nodiscard]] Backend& get() { return *backend_; }

 private:
  void* handle_;
  Backend* backend_;
};

/// Load a backend by name. On failure returns nullptr and sets *reason (e.g. "plugin
/// libconvprobe_backend_onednn.so not found in ...", "libdnnl.so.2: cannot open shared object file", a plugin
/// built for another plugin ABI, with both numbers).
[[nodiscard]] std::unique_ptr<LoadedBackend> load_backend(const std::string& name, std::string* reason);

/// Path of the running executable (for re-executing itself as a worker).
[[nodiscard]] std::string self_executable();

}  // namespace convprobe
