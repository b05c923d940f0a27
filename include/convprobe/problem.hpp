// One convolution problem: the unit every backend, store row and policy rule is keyed by.
//
// The canonical text form is benchdnn's and round-trips (parse(print(p)) == p):
//   [<dir>_][<type>_][<layout>_]g<G>mb<N>ic<C>id<D>ih<H>iw<W>oc<K>od..oh..ow..kd<T>kh<R>kw<S>sd..sh..sw..
//   pd..ph..pw..dd..dh..dw..[n"label"]
// where dir is omitted for fwd (else bwdd / bwdw), type is omitted for f32 strict (else tf32, f16, bf16),
// layout is omitted for nchw (else nhwc). Defaults are omitted; a missing w/kw/... repeats h/kh/... (square).
// Dilation follows benchdnn: d0 means "no dilation" (an effective dilation of 1). Padding follows benchdnn
// too: ph is the padding before (top); the padding after (bottom) equals it unless an output size oh says
// otherwise, so an asymmetric axis prints its output size (docs/problems.md, "Padding").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace convprobe {

enum class Direction { fwd, bwd_data, bwd_weights };
/// Storage type of every tensor. tf32 is f32 storage computed in TF32 math mode (cuDNN's down-convert).
enum class DataType { f32, tf32, f16, bf16 };
/// Activation layout; weights follow it (nchw -> KCRS, nhwc -> KRSC), as in cuDNN.
enum class Layout { nchw, nhwc };

[[nodiscard]] std::string_view to_string(Direction d);
[[nodiscard]] std::string_view to_string(DataType t);
[[nodiscard]] std::string_view to_string(Layout l);
/// Bytes of one element in storage (tf32 is stored as f32).
[[nodiscard]] int element_size(DataType t);

/// Spatial arrays are ordered {d, h, w}; a 2-D problem has d-extents of 1 (kernel, input) and 0 padding, a
/// 1-D problem (width only) the same on d and h.
struct Problem {
  Direction dir = Direction::fwd;
  DataType type = DataType::f32;
  Layout layout = Layout::nchw;
  int spatial_dims = 2;  ///< 1, 2 or 3
  int64_t g = 1;         ///< groups; depthwise when g == ic == oc
  int64_t mb = 2;        ///< batch (benchdnn default is 2)
  int64_t ic = 0;
  int64_t oc = 0;
  std::array<int64_t, 3> in{1, 0, 0};      ///< input  d, h, w
  std::array<int64_t, 3> kernel{1, 1, 1};  ///< filter t, r, s
  std::array<int64_t, 3> stride{1, 1, 1};
  std::array<int64_t, 3> pad_begin{0, 0, 0};  ///< padding before the first element (top, left, front): ph
  std::array<int64_t, 3> pad_end{0, 0, 0};    ///< padding after the last; may be negative (cropping)
  std::array<int64_t, 3> dilation{0, 0, 0};   ///< benchdnn convention: 0 = none
  std::string label;                          ///< free text, n"..." in the descriptor; not part of identity
  /// How often a captured program ran this problem (a problems file's "48x " prefix); 0 = not known. Not part
  /// of identity: it tells which shapes matter most, in reports and in the order a sweep may take.
  int64_t runs = 0;

  /// The same padding before and after on every axis (how most frameworks pad).
  void set_pads(const std::array<int64_t, 3>& pad) { pad_begin = pad_end = pad; }
  /// The end padding that matters on `axis`: rows of end padding that no output reads change nothing, so of
  /// all end paddings giving this output the canonical one is pad_begin when that is among them (a symmetric
  /// problem stays symmetric), else the smallest (what benchdnn derives from an output size). Identity, keys
  /// and text use it.
  [[nodiscard]] int64_t canonical_pad_end(int axis) const;
  /// True when every axis pads the same before and after (canonically).
  [[nodiscard]] bool symmetric() const;
  /// Output spatial extents {d, h, w}: floor((in + pad_begin + pad_end - effective kernel) / stride) + 1; may
  /// be <= 0 for an invalid problem (validate() says so).
  [[nodiscard]] std::array<int64_t, 3> out() const;
  /// Effective kernel extent including dilation: (k - 1) * (dil + 1) + 1.
  [[nodiscard]] int64_t effective_kernel(int axis) const;
  /// Multiply-adds * 2 for one pass in this direction (the same for all three directions).
  [[nodiscard]] double flops() const;
  /// Element counts of the three tensors.
  [[nodiscard]] int64_t src_elems() const;  ///< x / dx: mb * ic * D*H*W
  [[nodiscard]] int64_t wei_elems() const;  ///< w / dw: oc * ic/g * T*R*S
  [[nodiscard]] int64_t dst_elems() const;  ///< y / dy: mb * oc * OD*OH*OW
  /// Bytes moved at minimum: each tensor once in storage type.
  [[nodiscard]] int64_t bytes() const;
  /// Length of the dot product behind one output element in this direction (for error thresholds).
  [[nodiscard]] int64_t reduction_length() const;
  /// Elements of the tensor this direction writes.
  [[nodiscard]] int64_t output_elems() const;

  /// Identity: everything but the label.
  friend bool operator==(const Problem& a, const Problem& b);
};

/// Validation: empty result = valid; otherwise one message naming the field, value and expectation.
[[nodiscard]] std::string validate(const Problem& p, int64_t max_tensor_bytes = int64_t{1} << 36);

/// Canonical descriptor (defaults omitted, label included when present).
[[nodiscard]] std::string to_string(const Problem& p);
/// The descriptor without its label: the identity key used by the store and policies.
[[nodiscard]] std::string key(const Problem& p);
/// Short human form, e.g. "fwd f32 1x3x224x224 -> 64 k3x3 s1 p1".
[[nodiscard]] std::string to_short_string(const Problem& p);

/// Parse a descriptor, or MIOpenDriver `conv` flags (a string starting with "conv" or "-").
/// On failure returns false and sets *err to a message naming key, value and expectation.
bool parse_problem(std::string_view text, Problem* out, std::string* err);
/// Parse only MIOpenDriver `conv` flags (-n -c -H -W -k -y -x -p -q -u -v -l -j -g -F, and --in_d etc.).
bool parse_miopen_driver(std::string_view text, Problem* out, std::string* err);
/// Problems file: one descriptor per line, '#' comments, blank lines ignored. Errors name "FILE:LINE".
bool parse_problems_file(const std::string& path, std::vector<Problem>* out, std::string* err);
bool parse_problems_text(std::string_view text, const std::string& origin, std::vector<Problem>* out,
                         std::string* err);

}  // namespace convprobe
