// Host tensors in the problem's storage type and layout, with the logical indexing every CPU-side piece
// (reference, verification, CPU backends) shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe {

enum class TensorRole { src, wei, dst };  ///< x/dx, w/dw, y/dy

/// Logical 5-D extents: activations (n, c, d, h, w), weights (k, c/g, t, r, s).
struct TensorDims {
  int64_t n = 1, c = 1, d = 1, h = 1, w = 1;
  bool channels_last = false;  ///< nhwc / ndhwc / krsc
  [[nodiscard]] int64_t elems() const { return n * c * d * h * w; }
  /// Physical offset of a logical index.
  [[nodiscard]] int64_t offset(int64_t in, int64_t ic, int64_t id, int64_t ih, int64_t iw) const {
    return channels_last ? (((in * d + id) * h + ih) * w + iw) * c + ic
                         : (((in * c + ic) * d + id) * h + ih) * w + iw;
  }
};

[[nodiscard]] TensorDims dims_of(const Problem& p, TensorRole role);
/// The tensor this direction writes (fwd: dst, bwd_data: src, bwd_weights: wei).
[[nodiscard]] TensorRole output_role(Direction dir);

/// A dense host tensor in storage type (f32 for f32/tf32, 16-bit for f16/bf16).
class HostTensor {
 public:
  HostTensor() = default;
  HostTensor(DataType type, TensorDims dims);
  [[nodiscard]] DataType type() const { return type_; }
  [[nodiscard]] const TensorDims& dims() const { return dims_; }
  [[nodiscard]] int64_t elems() const { return dims_.elems(); }
  [[nodiscard]] size_t bytes() const { return data_.size(); }
  [[nodiscard]] void* data() { return data_.data(); }
  [[nodiscard]] const void* data() const { return data_.data(); }
  /// Element at a physical offset, converted to double.
  [[nodiscard]] double get(int64_t i) const;
  void set(int64_t i, double v);
  /// Uniform random values in [-1, 1) excluding a small band around zero (never zeros), seeded.
  void fill_random(uint64_t seed);
  /// Fill with the poison pattern (a quiet NaN with a distinctive payload) to catch unwritten elements.
  void poison();
  [[nodiscard]] bool is_poison(int64_t i) const;

 private:
  DataType type_ = DataType::f32;
  TensorDims dims_;
  std::vector<std::byte> data_;
};

/// The three tensors of one problem. Which are inputs depends on the direction.
struct ConvTensors {
  HostTensor src, wei, dst;
  [[nodiscard]] HostTensor& get(TensorRole r) { return r == TensorRole::src ? src : r == TensorRole::wei ? wei : dst; }
  [[nodiscard]] const HostTensor& get(TensorRole r) const {
    return r == TensorRole::src ? src : r == TensorRole::wei ? wei : dst;
  }
};

/// Allocate all three tensors, fill the direction's inputs with seeded random values, poison the output.
[[nodiscard]] ConvTensors make_tensors(const Problem& p, uint64_t seed);

/// f16 / bf16 conversions (round to nearest even).
[[nodiscard]] uint16_t float_to_half(float f);
[[nodiscard]] float half_to_float(uint16_t h);
[[nodiscard]] uint16_t float_to_bf16(float f);
[[nodiscard]] float bf16_to_float(uint16_t b);

}  // namespace convprobe
