// Translating a convprobe Problem into oneDNN 2.6 descriptors: memory descriptors (plain user layouts and
// `any` for the implementation to choose), and the convolution primitive descriptor of one algorithm,
// positioned at its first implementation. oneDNN 2.6 still has the op-descriptor API (`::desc`), which 3.x
// dropped; everything version-specific stays in this file and onednn_desc.cpp.
#pragma once

#include <array>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "convprobe/problem.hpp"
#include "core/tensor.hpp"

namespace convprobe::onednn {

/// oneDNN's convolution algorithms. `automatic` is convolution_auto ("auto" in ids).
enum class Algo { direct, winograd, automatic };
inline constexpr std::array<Algo, 3> kAlgos{Algo::direct, Algo::winograd, Algo::automatic};

[[nodiscard]] std::string_view to_string(Algo a);  ///< "direct", "winograd", "auto"
bool algo_from_string(std::string_view s, Algo* out);

/// oneDNN storage type for a problem type; nullopt for tf32, which oneDNN 2.6 cannot express (its fpmath
/// modes are strict, bf16, f16 and any: no TF32).
[[nodiscard]] std::optional<dnnl::memory::data_type> dnnl_type(DataType t);
inline constexpr const char* kNoTf32 =
    "oneDNN 2.6 has no TF32 math mode (fpmath modes: strict, bf16, f16, any): tf32 problems have no "
    "candidates";

/// The user's plain memory layout of one tensor (NCDHW / NDHWC activations, KCRS / KRSC weights; grouped
/// weights get a leading groups dimension), with strides taken from dims_of() so it matches HostTensor.
[[nodiscard]] dnnl::memory::desc user_md(const Problem& p, TensorRole role);

/// The oneDNN argument id of a tensor in the problem's direction (DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, ...).
[[nodiscard]] int arg_of(Direction dir, TensorRole role);

/// The memory descriptor a primitive descriptor chose for a tensor.
[[nodiscard]] dnnl::memory::desc impl_md(const dnnl::primitive_desc& pd, Direction dir, TensorRole role);

/// oneDNN's list of implementations of one algorithm for a problem. Walk it with `pd()` and `next()`.
///
/// In oneDNN 2.6 the iterator behind a primitive_desc keeps raw pointers to the op descriptor and to the
/// forward hint it was created from (and a backward pd keeps the hint pointer too), so both must outlive it:
/// this object owns all of them and can neither be copied nor moved. Keep it alive while using `pd()`.
/// Forward problems use prop_kind forward_inference (it offers every forward_training implementation plus
/// inference-only ones such as brgconv); backward ones take a forward_training hint (see the .cpp).
class ImplList {
 public:
  /// Throws dnnl::error when oneDNN rejects the shape itself.
  ImplList(const Problem& p, Algo algo, const dnnl::engine& engine);
  ImplList(const ImplList&) = delete;
  ImplList& operator=(const ImplList&) = delete;

  /// False when oneDNN has no implementation (then `pd()` is empty).
  [[nodiscard]] bool empty() const { return !pd_; }
  /// The current implementation.
  [[nodiscard]] const dnnl::primitive_desc& pd() const { return pd_; }
  /// Moves to the next implementation; false (and `pd()` unchanged) at the end.
  bool next() { return pd_.next_impl(); }

 private:
  std::optional<dnnl::convolution_forward::desc> fwd_;
  std::optional<dnnl::convolution_forward::desc> hint_desc_;
  std::optional<dnnl::convolution_forward::desc> fallback_hint_desc_;
  dnnl::convolution_forward::primitive_desc hint_;
  std::optional<dnnl::convolution_backward_data::desc> bwd_data_;
  std::optional<dnnl::convolution_backward_weights::desc> bwd_weights_;
  dnnl::primitive_desc pd_;
};

/// Human-readable name of a dnnl_status_t ("unimplemented", "out_of_memory", ...).
[[nodiscard]] std::string status_name(dnnl_status_t s);

}  // namespace convprobe::onednn
