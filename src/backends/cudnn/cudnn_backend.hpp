// The cuDNN backend: legacy algorithms and graph-API engine configs as candidates, trials verified against a
// GPU fp64 reference and timed with CUDA events. One object per worker; it keeps the CUDA context, the cuDNN
// handle and the current problem's device state (see gpu_session.hpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"
#include "gpu_session.hpp"
#include "vendor/cudnn_errata.hpp"

namespace convprobe::cudnn {

class CudnnBackend final : public Backend {
 public:
  CudnnBackend() = default;
  ~CudnnBackend() override;
  CudnnBackend(const CudnnBackend&) = delete;
  CudnnBackend& operator=(const CudnnBackend&) = delete;

  [[nodiscard]] std::string name() const override { return "cudnn"; }
  BackendInfo info() override;
  void prepare(int device) override { ensure_device(device); }
  std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& options) override;
  TrialResult run_trial(const Problem& problem, const Candidate& candidate, const TrialOptions& options,
                        TrialContext& context) override;
  [[nodiscard]] std::vector<std::string> relevant_env_prefixes() const override;

 private:
  /// Select the device and create the handle and stream once (throws std::runtime_error with the reason).
  void ensure_device(int device);
  /// Load CUDNN_ERRATA_JSON_FILE once per process, as cudnn-frontend does (throws on a malformed file).
  const Errata& errata();

  GpuSession session_;
  bool errata_loaded_ = false;
  Errata errata_;
  std::string errata_note_;
};

/// "9.19.0" from cudnnGetVersion()'s 91900.
[[nodiscard]] std::string cudnn_version_string(size_t version);
/// True when CONVPROBE_GPU_FAULTS=1 (the self-test sets it).
[[nodiscard]] bool gpu_faults_enabled();

}  // namespace convprobe::cudnn
