// The one small interface every backend implements. Each backend is a plugin: a shared library named
// libconvprobe_backend_<name>.so whose entry point CONVPROBE_DEFINE_BACKEND(ClassName) writes (below).
// Plugins are loaded only inside worker processes (or with --in-process); the supervisor never loads one.
// What convprobe must know about a backend without loading it is in backend_traits.hpp; adding a backend is
// one folder and one line (docs/backends.md, "Adding a backend").
//
// Shape (MIOpen's solver registry, nvbench's public-call/do_* split): candidates are stateless descriptions;
// the backend object may cache per-problem state (inputs, fp64 reference) because a worker runs the
// candidates of one problem back to back, and verification against the reference is computed once per
// problem and reused for every candidate.
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"

namespace convprobe {

/// The plugin ABI: these headers' types and the entry point. 3: TrialOptions::backend_options replaced the
/// cuDNN-only `math` and `knob_samples`, and plugins export convprobe_backend_abi. 4: Timing::samples_ms.
inline constexpr int kBackendAbiVersion = 4;

struct DeviceInfo {
  int index = 0;
  std::string name;     ///< "cpu (avx2, 2 threads)", "NVIDIA H200 (sm_90, 141 GB)", "gfx1010"
  std::string details;  ///< driver, memory, ISA, ...
};

struct BackendInfo {
  std::string name;
  std::string version;  ///< library version, e.g. "oneDNN 2.6.3", "cuDNN 9.19.0"
  bool available = false;
  std::string reason;  ///< why not available (missing library, no device, ...)
  std::vector<DeviceInfo> devices;
  std::vector<std::string> notes;  ///< degraded features, database state, ...
  /// Library variables some of the backend's workers run with instead of the user's (MIOpen's forced
  /// workers: MIOPEN_FIND_MODE=NORMAL, ...), name -> value. The run fingerprint records them next to the
  /// user's own values, so a run says what MIOpen really read.
  std::map<std::string, std::string> worker_env_overrides;
};

/// What a running trial can tell whoever watches it. In a worker each call becomes a heartbeat on the pipe,
/// which restarts the watchdog for that phase.
class TrialContext {
 public:
  virtual ~TrialContext() = default;
  /// Enter a phase. `expected_ms` is the backend's estimate of the phase's work (<= 0: unknown); the
  /// watchdog scales its deadline from it.
  virtual void enter_phase(Phase phase, double expected_ms = 0) = 0;
  /// The worker's result pipe, or -1 in-process. Only the fault backend touches it (to write garbage).
  [[nodiscard]] virtual int protocol_fd() const { return -1; }
};

class Backend {
 public:
  virtual ~Backend() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  /// Library version, devices, availability. Must not throw; unavailable is a state, not an error.
  virtual BackendInfo info() = 0;
  /// Every candidate applicable to the problem (applicability checked before anything is compiled).
  /// Throws std::runtime_error when the backend cannot enumerate (the message becomes the reason).
  virtual std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& options) = 0;
  /// Run one trial: set up, run, verify, time. Must return a verdict for every ordinary failure; an
  /// exception escaping here is turned into FAILED with its message by the caller.
  virtual TrialResult run_trial(const Problem& problem, const Candidate& candidate,
                                const TrialOptions& options, TrialContext& context) = 0;
  /// Called once by a worker, before it reports ready, with the device it serves: create contexts and handles
  /// now, so that a standby worker promoted after a hang or crash runs its first trial at once. Throws
  /// std::runtime_error when the device cannot be prepared (the worker reports it; trials will show why).
  virtual void prepare(int /*device*/) {}
  /// Environment variables this backend's library reads that affect algorithm choice (for the fingerprint).
  [[nodiscard]] virtual std::vector<std::string> relevant_env_prefixes() const { return {}; }
};

}  // namespace convprobe

/// The plugin entry point. Returns a new backend, or nullptr with *error set (e.g. runtime library missing).
/// `abi_version` is kBackendAbiVersion of the loader; a plugin built for another version returns nullptr.
extern "C" {
using convprobe_backend_entry_fn = convprobe::Backend* (*)(int abi_version, std::string* error);
}
namespace convprobe {
/// The symbol the loader looks up in a plugin (what CONVPROBE_DEFINE_BACKEND defines).
inline constexpr const char* kBackendEntryName = "convprobe_backend_entry";
/// An `extern "C" const int` holding the plugin's kBackendAbiVersion: the loader reads it before it calls
/// anything, so a plugin built for another ABI is refused with both numbers, never called.
inline constexpr const char* kBackendAbiSymbol = "convprobe_backend_abi";

namespace detail {
/// The body of every plugin's entry point: refuses a loader of another ABI and lets no exception leave the
/// extern "C" function (a constructor's exception becomes *error, as the loader reports it: "unavailable").
template <class BackendClass>
Backend* create_backend(int abi_version, std::string* error) noexcept {
  try {
    if (abi_version != kBackendAbiVersion) {
      if (error != nullptr) {
        *error = "plugin built for backend ABI " + std::to_string(kBackendAbiVersion) + ", loader has " +
                 std::to_string(abi_version);
      }
      return nullptr;
    }
    return new BackendClass();
  } catch (const std::exception& e) {
    try {
      if (error != nullptr) *error = e.what();
    } catch (...) {  // no memory left even for the message: nullptr alone says it failed
    }
  } catch (...) {
    try {
      if (error != nullptr) *error = "the backend's constructor threw something that is not a std::exception";
    } catch (...) {
    }
  }
  return nullptr;
}
}  // namespace detail
}  // namespace convprobe

/// The plugin's entry point, written once for every backend: `CONVPROBE_DEFINE_BACKEND(MyBackend)` at the end
/// of one source file of the plugin (outside any namespace), MyBackend default-constructible. It exports the
/// ABI number and `convprobe_backend_entry`, which checks the loader's ABI and catches every exception.
#define CONVPROBE_DEFINE_BACKEND(BackendClass)                                                     \
  extern "C" __attribute__((visibility("default"))) const int convprobe_backend_abi =              \
      ::convprobe::kBackendAbiVersion;                                                             \
  extern "C" __attribute__((visibility("default"))) ::convprobe::Backend* convprobe_backend_entry( \
      int abi_version, std::string* error) {                                                       \
    return ::convprobe::detail::create_backend<BackendClass>(abi_version, error);                  \
  }
