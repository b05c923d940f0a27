// What convprobe must know about a backend without loading its plugin. The CLI, the supervisor and the
// selftest act on these facts, never on a backend's name. Most backends need none of them.
//
// A backend that needs some defines them in a source file of its own folder with
// CONVPROBE_DEFINE_BACKEND_TRAITS(name) and names that file in the folder's CMakeLists.txt with
// convprobe_backend_traits(name SOURCES ...). The build compiles it into the convprobe program, not into the
// plugin, and also where the plugin itself cannot be built (no vendor SDK): it must not need the SDK.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"

namespace convprobe {

/// An option only some backends read (cuDNN's math mode). It travels as text in
/// TrialOptions::backend_options[key]; the CLI offers it as `flag` on the commands that list or run
/// candidates, whatever the backend, and checks a given value before anything starts.
struct BackendOption {
  std::string key;   ///< "math"
  std::string flag;  ///< "--math"
  std::string help;  ///< the flag's --help text, its default included
  /// Empty for a good value, else the usage error, naming the flag and the value.
  std::string (*check)(const std::string& value) = nullptr;
  std::string value_name = "TEXT";  ///< what --help shows for the value ("INT")
};

/// Candidate ids a backend runs without listing them (the fault backend runs any well-formed
/// fault.<kind>@<axis><op><value>, not only the thresholds it lists).
struct UnlistedIds {
  /// True with *out filled (id and family) for an id the backend runs; false with *err naming the id and the
  /// bad part.
  bool (*parse)(const std::string& id, Candidate* out, std::string* err) = nullptr;
  std::string forms;  ///< the accepted forms in words, for usage errors
};

/// What `convprobe selftest -b NAME` runs on the backend.
struct SelftestPlan {
  enum class Kind {
    every_candidate,  ///< every listed candidate on every problem of the preset; needs no device
    device_faults,    ///< family "fault" candidates on the first problem, each followed by a canary that
                      ///< must PASS: the next trial gets a clean context from the standby worker
  };
  Kind kind = Kind::every_candidate;
  std::string what;      ///< for --help: "CPU faults over gfx1010-sizes"
  std::string in_short;  ///< for an error message: "CPU", "GPU faults"
  /// Workers start with it (device faults are listed only then).
  std::map<std::string, std::string> worker_env;
  /// The verdict a candidate must produce on a problem (FAILED for an id that is not a fault of the backend).
  Verdict (*expected)(const Problem& problem, const std::string& candidate_id) = nullptr;
  std::string canary_family;  ///< device_faults: the healthy candidate's family ("legacy")
  /// The ids listed on every problem when they are known without a worker (the selection is then checked
  /// before anything starts); null when only a worker knows.
  std::vector<std::string> (*listed_ids)() = nullptr;
};

struct BackendTraits {
  /// Folders a worker needs first on LD_LIBRARY_PATH before it can load the plugin (a vendor runtime outside
  /// the loader's path: cuDNN in a Python wheel), colon-separated; empty when not found. Asked when workers
  /// start; null: nothing to add.
  std::string (*worker_library_path)() = nullptr;
  std::vector<BackendOption> options;
  std::optional<UnlistedIds> unlisted_ids;
  std::optional<SelftestPlan> selftest;
};

}  // namespace convprobe

/// Defines the traits of backend `name` (one source file of its folder, outside any namespace):
///   CONVPROBE_DEFINE_BACKEND_TRAITS(fault) { convprobe::BackendTraits t; ...; return t; }
/// The build's registry of backends (exec/backend_registry.hpp) calls it once.
#define CONVPROBE_DEFINE_BACKEND_TRAITS(name) ::convprobe::BackendTraits convprobe_backend_traits_##name()
