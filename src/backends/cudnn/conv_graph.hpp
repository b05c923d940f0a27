// A one-operation cuDNN graph for a convolution problem, and what can be asked of it: engines (global indices
// 0..count-1), their notes and knobs, heuristics results, finalized engine configs and execution plans.
// Plan tags follow cudnn-frontend's ExecutionPlan::buildTag: <op>_eng<index>{_k<knob type>=<value>}, knobs in
// the order the finalized config returns them (FACTS §2), so errata rules can name them.
#pragma once

#include <cudnn.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backend_descriptor.hpp"
#include "conv_runner.hpp"
#include "convprobe/problem.hpp"
#include "knob_sampling.hpp"

namespace convprobe::cudnn {

struct EngineInfo {
  int64_t index = 0;
  std::vector<int> numerical_notes;  ///< cudnnBackendNumericalNote_t values
  std::vector<int> behavior_notes;   ///< cudnnBackendBehaviorNote_t values
  std::vector<KnobInfo> knobs;
};

class ConvGraph {
 public:
  /// Build and finalize the graph for `p`; throws CudnnError (e.g. NOT_SUPPORTED for a shape cuDNN rejects).
  ConvGraph(cudnnHandle_t handle, const Problem& p);
  /// "ConvFwd", "ConvBwdData" or "ConvBwdFilter": the frontend's operation tag.
  [[nodiscard]] const std::string& op_tag() const { return op_tag_; }
  [[nodiscard]] int64_t engine_count() const;
  [[nodiscard]] const BackendDescriptor& graph() const { return graph_; }
  [[nodiscard]] cudnnHandle_t handle() const { return handle_; }

  /// Finalize engine `index`; returns its status, and its notes and knobs when supported.
  cudnnStatus_t query_engine(int64_t index, EngineInfo* out) const;
  /// A finalized engine config (knob choices as given; empty = the engine's defaults). Throws CudnnError.
  [[nodiscard]] BackendDescriptor make_config(int64_t index, const KnobChoices& knobs) const;
  /// Finalized configs heuristics mode `mode` returns (empty when the mode finds none). Throws CudnnError.
  [[nodiscard]] std::vector<BackendDescriptor> heuristics(cudnnBackendHeurMode_t mode) const;

 private:
  cudnnHandle_t handle_;
  std::string op_tag_;
  BackendDescriptor x_, w_, y_, conv_, op_, graph_;
  mutable std::vector<BackendDescriptor> keep_alive_;  ///< engines and knob choices of configs made here
};

/// Engine global index of a finalized config.
[[nodiscard]] int64_t config_engine_index(const BackendDescriptor& config);
/// Knob choices as the finalized config returns them.
[[nodiscard]] KnobChoices config_knobs(const BackendDescriptor& config);
/// cudnn-frontend plan tag: "ConvFwd_eng67_k2=5_k13=0".
[[nodiscard]] std::string plan_tag(const std::string& op_tag, int64_t engine, const KnobChoices& knobs);
/// "2=5,13=0" <-> KnobChoices (the candidate attribute that rebuilds the config in another process).
[[nodiscard]] std::string knobs_to_attr(const KnobChoices& knobs);
[[nodiscard]] KnobChoices knobs_from_attr(const std::string& text);

/// An execution plan for (engine, knobs) on a fresh graph of `p`, ready to bind and launch. Throws CudnnError
/// (plan finalization is where unsupported knob combinations and runtime compilation failures show).
[[nodiscard]] std::unique_ptr<ConvRunner> make_engine_runner(cudnnHandle_t handle, const Problem& p,
                                                             int64_t engine, const KnobChoices& knobs);

}  // namespace convprobe::cudnn
