// The one small interface every backend implements. Each backend is a plugin: a shared library named
// libconvprobe_backend_<name>.so exporting `convprobe_backend_entry` (see CONVPROBE_BACKEND_ENTRY below).
// Plugins are loaded only inside worker processes (or with --in-process); the supervisor never loads one.
//
// Shape (MIOpen's solver registry, nvbench's public-call/do_* split): candidates are stateless descriptions;
// the backend object may cache per-problem state (inputs, fp64 reference) because a worker runs the
// candidates of one problem back to back, and verification against the reference is computed once per
// problem and reused for every candidate.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"

namespace convprobe {

inline constexpr int kBackendAbiVersion = 2;

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
/// The symbol the loader looks up in a plugin (what CONVPROBE_BACKEND_ENTRY defines).
inline constexpr const char* kBackendEntryName = "convprobe_backend_entry";
}  // namespace convprobe
#define CONVPROBE_BACKEND_ENTRY                                                                  \
  extern "C" __attribute__((visibility("default"))) convprobe::Backend* convprobe_backend_entry( \
      int abi_version, std::string* error)
