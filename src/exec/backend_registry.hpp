// The backends this program knows, from the build: one convprobe_backend(NAME) line each in
// src/backends/CMakeLists.txt, in that order; the build generates registered_backends() into every program
// (convprobe_backend_registry in cmake/convprobe_helpers.cmake). Every list of backends a user sees (--help,
// "expected one of", `convprobe devices`) and every fact about one (BackendTraits) comes from here, so no
// code outside a backend's folder compares backend names.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "convprobe/backend_traits.hpp"

namespace convprobe {

struct RegisteredBackend {
  const char* name;
  BackendTraits (*traits)();  ///< CONVPROBE_DEFINE_BACKEND_TRAITS of its folder; null when it has none
};
/// Defined by the program's generated registry, in the order of the convprobe_backend lines.
[[nodiscard]] const std::vector<RegisteredBackend>& registered_backends();

/// Backends convprobe knows about, in display order; known whether or not their plugin was built here (a
/// missing plugin is "unavailable" at run time, not an unknown name).
[[nodiscard]] const std::vector<std::string>& known_backends();
[[nodiscard]] bool is_known_backend(const std::string& name);
/// "reference, onednn, cudnn, miopen or fault" with last_separator " or ", all commas with ", ".
[[nodiscard]] std::string known_backends_text(const std::string& last_separator);
/// The traits of a known backend; empty traits for one without any, or for an unknown name.
[[nodiscard]] const BackendTraits& backend_traits(const std::string& name);

/// Every option the known backends declare, each key once (its first declaration): the CLI's flags.
[[nodiscard]] std::vector<BackendOption> backend_options();
/// Empty when every value is good, else the first usage error: a value is checked by every backend that
/// declares its key, whichever backend runs (as the flags exist for all); a key none declares is refused.
[[nodiscard]] std::string check_backend_options(const std::map<std::string, std::string>& options);

/// The environment overrides for a worker of `backend`: `extra` (policy variables), plus the folders its
/// traits say its workers need, prepended to LD_LIBRARY_PATH (unless `extra` sets LD_LIBRARY_PATH itself).
[[nodiscard]] std::map<std::string, std::string> worker_environment(
    const std::string& backend, const std::map<std::string, std::string>& extra);

}  // namespace convprobe
