// Trials and verdicts.
//
// The progression a trial goes through (benchdnn's res_t, written down):
//   UNTESTED --setup--> UNSUPPORTED | FAILED | OOM | SKIPPED   (backend refused, errored, no memory, capped)
//            --run-->   FAILED (backend status) | CRASH (worker died) | HANG (watchdog)
//            --verify-> MISMATCH (wrong numbers, NaN/Inf, untouched poison)
//            --time-->  FAILED (impossible timing: <= 0 or not finite) | PASS
// A trial left UNTESTED was aborted at an unexpected place and counts as a failure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace convprobe {

enum class Verdict { untested, pass, mismatch, unsupported, failed, crash, hang, oom, skipped };
enum class Phase { setup, run, verify, time, done };

[[nodiscard]] std::string_view to_string(Verdict v);         ///< upper case: "PASS", "HANG", ...
[[nodiscard]] std::string_view to_string(Phase p);           ///< lower case: "setup", ...
bool verdict_from_string(std::string_view s, Verdict* out);  ///< case-insensitive
bool phase_from_string(std::string_view s, Phase* out);
/// HANG, CRASH, MISMATCH, OOM, FAILED, UNTESTED: what a policy blocks by default.
[[nodiscard]] bool is_failure(Verdict v);

/// Thrown by a backend inside a trial to end it with a given verdict (UNSUPPORTED, FAILED, OOM, SKIPPED,
/// ...); the message is the verdict's detail. Part of the plugin contract: whatever else escapes a trial is
/// mapped by the one rule of src/core/exception_verdict.hpp (std::bad_alloc: OOM; anything else: FAILED).
class TrialError : public std::runtime_error {
 public:
  TrialError(Verdict verdict, const std::string& detail) : std::runtime_error(detail), verdict_(verdict) {}
  [[nodiscard]] Verdict verdict() const { return verdict_; }

 private:
  Verdict verdict_;
};

struct Timing {
  double median_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
  int repeats = 0;
  /// Every launch of the candidate in the trial (the verified run, warm-up and timed launches; a sample can
  /// hold several back-to-back launches): median_ms x launches is the candidate's own kernel time, the
  /// yardstick of a sweep's overhead. 0 when the backend does not count.
  int64_t launches = 0;
  /// Every timed sample (ms), in the order taken: what the median was reduced from, stored so that two runs
  /// can be compared with a significance test (`convprobe compare`). Empty when unknown (a trial stored
  /// before the store kept samples).
  std::vector<double> samples_ms = {};
};

/// Median, min, max and count of timed samples (ms, one per sample; at least one), keeping the samples in
/// the order given. Every backend's timer reports through this, so a median means the same thing everywhere.
[[nodiscard]] Timing summarize_samples(std::vector<double> samples);

/// How the output was checked; recorded with every trial so a verdict can be reproduced.
struct VerifyInfo {
  bool sampled = false;  ///< true: a seeded sample of points vs fp64; false: every point
  int64_t points = 0;    ///< points compared against the reference
  uint64_t seed = 0;     ///< seed of the sample (and of the inputs)
  double threshold = 0;  ///< relative error bound used
  std::string math;      ///< "f32", "tf32" (down-converting candidates are labelled so), "f16", "bf16"
};

struct TrialResult {
  Verdict verdict = Verdict::untested;
  std::string detail;          ///< status name, signal, error metric, worker's last stderr lines
  Phase phase = Phase::setup;  ///< last phase entered
  std::optional<Timing> time;
  double rel_err = -1;  ///< -1 when not computed
  int64_t workspace_bytes = 0;
  VerifyInfo verify;
  std::string device;  ///< e.g. "cpu", "cuda:0"
  int attempt = 1;     ///< > 1 only with --retries
  double wall_ms = 0;  ///< whole trial as seen by whoever ran it
  /// The backend's context is unusable after this trial (sticky device error): the worker must be replaced
  /// before the next trial, which then runs in a clean context.
  bool restart_worker = false;
  /// Candidates that let the library choose, as a framework does (listing "framework"): the solutions it
  /// offered, the one it uses first, as candidate ids ("miopen.81.ConvBinWinograd3x3U"). Empty otherwise.
  std::vector<std::string> picked;
};

/// Knobs of one trial. Everything here crosses the worker pipe, so keep it plain.
struct TrialOptions {
  uint64_t seed = 20261125;  ///< inputs and verification sample
  int warmup = 2;            ///< untimed runs before timing
  int repeats = 10;          ///< timed runs (median reported)
  double min_time_ms = 0;    ///< keep repeating until this much time was timed (0: repeats only)
  /// Stop repeating once this much was timed, after at least 3 samples (0: no cap). Long kernels on large
  /// problems then cost a few runs, not `repeats` runs (their medians are stable after a few).
  double max_time_ms = 1000;
  bool flush_l2 = false;  ///< GPU: flush L2 between timed runs
  bool verify = true;
  bool time = true;
  int64_t max_workspace_bytes = -1;  ///< -1: no cap; above the cap a candidate is SKIPPED, never FAILED
  /// Outputs with more than this many (points x reduction length) multiply-adds are verified at a seeded
  /// sample of points instead of in full (see docs/verification.md).
  double full_verify_max_macs = 2.0e9;
  int64_t sample_points = 16384;  ///< sample size when sampling (>= 16384)
  int device = 0;                 ///< device index within the backend
  /// Options only some backends read, as text (cuDNN: "math" strict|tf32|both, "knob_samples"). A backend
  /// reads and checks the keys it declares (BackendTraits::options) and ignores the others; an absent key
  /// means its default.
  std::map<std::string, std::string> backend_options;
  /// Fastest median seen so far on this problem (ms), or <= 0. A candidate whose first timed run is far
  /// slower gets fewer repeats (the backend's documented factor).
  double best_so_far_ms = 0;
};

}  // namespace convprobe
