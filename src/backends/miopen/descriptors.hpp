// MIOpen descriptors for one problem (tensors with explicit strides, so NCHW and NHWC, 2-D and 3-D go the
// same way), and the argument order each direction's calls expect.
#pragma once

#include <array>
#include <string>

#include "backends/miopen/runtime.hpp"
#include "convprobe/problem.hpp"
#include "core/tensor.hpp"

namespace convprobe::miopen {

/// MIOpen's data type for the problem, or -1 (tf32 has no MIOpen counterpart).
[[nodiscard]] int miopen_data_type(DataType t);
/// Index into MiopenFns::dir.
[[nodiscard]] int direction_index(Direction d);

class ProblemDescriptors {
 public:
  /// Throws TrialError(UNSUPPORTED) for what MIOpen cannot describe (tf32, groups without the entry point,
  /// extents beyond int) and TrialError(FAILED) when a descriptor call fails.
  ProblemDescriptors(const Runtime& rt, const Problem& p);
  ~ProblemDescriptors();
  ProblemDescriptors(const ProblemDescriptors&) = delete;
  ProblemDescriptors& operator=(const ProblemDescriptors&) = delete;

  [[nodiscard]] miopen_abi::TensorDescriptor tensor(TensorRole r) const {
    return tensors_[static_cast<int>(r)];
  }
  [[nodiscard]] miopen_abi::ConvDescriptor conv() const { return conv_; }
  /// Roles in the order of the immediate-mode calls: (A, B, C); C is the output.
  [[nodiscard]] std::array<TensorRole, 3> immediate_order() const;
  /// Roles in the order of the Find calls: (P, Q, R); R is the output.
  [[nodiscard]] std::array<TensorRole, 3> find_order() const;

 private:
  void build(const Problem& p);
  void release();
  const Runtime& rt_;
  Direction dir_;
  std::array<miopen_abi::TensorDescriptor, 3> tensors_{};
  miopen_abi::ConvDescriptor conv_ = nullptr;
};

}  // namespace convprobe::miopen
