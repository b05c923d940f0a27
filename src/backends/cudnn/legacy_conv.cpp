#include "legacy_conv.hpp"

#include <array>
#include <memory>
#include <string>

#include "core/host_trial.hpp"
#include "cuda_status.hpp"
#include "cudnn_types.hpp"
#include "note_list.hpp"

namespace convprobe::cudnn {
namespace {

// Names by enum value (cudnn_cnn.h, 9.19).
constexpr std::array<const char*, 8> kFwdAlgos = {
    "IMPLICIT_GEMM", "IMPLICIT_PRECOMP_GEMM", "GEMM", "DIRECT", "FFT", "FFT_TILING",
    "WINOGRAD",      "WINOGRAD_NONFUSED"};
constexpr std::array<const char*, 6> kBwdDataAlgos = {"ALGO_0",     "ALGO_1",   "FFT",
                                                      "FFT_TILING", "WINOGRAD", "WINOGRAD_NONFUSED"};
constexpr std::array<const char*, 7> kBwdFilterAlgos = {
    "ALGO_0", "ALGO_1", "FFT", "ALGO_3", "WINOGRAD", "WINOGRAD_NONFUSED", "FFT_TILING"};

struct MathChoice {
  const char* name;
  cudnnMathType_t type;
};
constexpr std::array<MathChoice, 3> kMaths = {
    MathChoice{"fma", CUDNN_FMA_MATH}, MathChoice{"tensor_op", CUDNN_TENSOR_OP_MATH},
    MathChoice{"tensor_op_conv", CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION}};

/// cudnnSetConvolutionNdDescriptor takes one padding per axis, used on both sides.
constexpr const char* kSymmetricOnly =
    "legacy API has symmetric padding only (cudnnSetConvolutionNdDescriptor pads both sides the same)";

const char* dir_tag(Direction d) {
  return d == Direction::fwd ? "fwd" : d == Direction::bwd_data ? "bwdd" : "bwdw";
}

// Owns the four legacy descriptors of one problem.
class LegacyDescriptors {
 public:
  explicit LegacyDescriptors(const Problem& p) {
    try {
      describe(as_2d_at_least(p));
    } catch (...) {
      release();  // a throwing constructor runs no destructor
      throw;
    }
  }
  ~LegacyDescriptors() { release(); }
  LegacyDescriptors(const LegacyDescriptors&) = delete;
  LegacyDescriptors& operator=(const LegacyDescriptors&) = delete;

 private:
  void describe(const Problem& p) {
    check_cudnn(cudnnCreateTensorDescriptor(&x_), "cudnnCreateTensorDescriptor");
    check_cudnn(cudnnCreateTensorDescriptor(&y_), "cudnnCreateTensorDescriptor");
    check_cudnn(cudnnCreateFilterDescriptor(&w_), "cudnnCreateFilterDescriptor");
    check_cudnn(cudnnCreateConvolutionDescriptor(&conv_), "cudnnCreateConvolutionDescriptor");
    const int sd = p.spatial_dims;
    const int first = 3 - sd;  // 2-D problems skip the d axis
    const bool cl = p.layout == Layout::nhwc;
    const auto out = p.out();
    set_tensor(x_, p, p.mb, p.ic, p.in, first, cl);
    set_tensor(y_, p, p.mb, p.oc, out, first, cl);
    std::array<int, 5> wdims{static_cast<int>(p.oc), static_cast<int>(p.ic / p.g), 1, 1, 1};
    for (int a = first, i = 2; a < 3; ++a, ++i) wdims[i] = static_cast<int>(p.kernel[a]);
    check_cudnn(cudnnSetFilterNdDescriptor(w_, data_type(p.type), cl ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW,
                                           sd + 2, wdims.data()),
                "cudnnSetFilterNdDescriptor");
    std::array<int, 3> pad{}, stride{}, dil{};
    for (int a = first, i = 0; a < 3; ++a, ++i) {
      pad[i] = static_cast<int>(p.pad_begin[a]);
      stride[i] = static_cast<int>(p.stride[a]);
      dil[i] = static_cast<int>(p.dilation[a] + 1);
    }
    check_cudnn(cudnnSetConvolutionNdDescriptor(conv_, sd, pad.data(), stride.data(), dil.data(),
                                                CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                "cudnnSetConvolutionNdDescriptor");
    check_cudnn(cudnnSetConvolutionGroupCount(conv_, static_cast<int>(p.g)), "cudnnSetConvolutionGroupCount");
  }
  void release() {
    if (conv_ != nullptr) cudnnDestroyConvolutionDescriptor(conv_);
    if (w_ != nullptr) cudnnDestroyFilterDescriptor(w_);
    if (y_ != nullptr) cudnnDestroyTensorDescriptor(y_);
    if (x_ != nullptr) cudnnDestroyTensorDescriptor(x_);
    conv_ = nullptr, w_ = nullptr, y_ = nullptr, x_ = nullptr;
  }

 public:
  void set_math(cudnnMathType_t m) {
    check_cudnn(cudnnSetConvolutionMathType(conv_, m), "cudnnSetConvolutionMathType");
  }

  // Workspace for algorithm `algo` of direction `d`; the status says whether it applies.
  cudnnStatus_t workspace(cudnnHandle_t h, Direction d, int algo, size_t* bytes) const {
    switch (d) {
      case Direction::fwd:
        return cudnnGetConvolutionForwardWorkspaceSize(h, x_, w_, conv_, y_,
                                                       static_cast<cudnnConvolutionFwdAlgo_t>(algo), bytes);
      case Direction::bwd_data:
        return cudnnGetConvolutionBackwardDataWorkspaceSize(
            h, w_, y_, conv_, x_, static_cast<cudnnConvolutionBwdDataAlgo_t>(algo), bytes);
      case Direction::bwd_weights:
        return cudnnGetConvolutionBackwardFilterWorkspaceSize(
            h, x_, y_, conv_, w_, static_cast<cudnnConvolutionBwdFilterAlgo_t>(algo), bytes);
    }
    return CUDNN_STATUS_BAD_PARAM;
  }

  cudnnStatus_t run(cudnnHandle_t h, Direction d, int algo, const BufferSet& b, void* ws,
                    size_t ws_bytes) const {
    const float alpha = 1.0f, beta = 0.0f;
    switch (d) {
      case Direction::fwd:
        return cudnnConvolutionForward(h, &alpha, x_, b.src, w_, b.wei, conv_,
                                       static_cast<cudnnConvolutionFwdAlgo_t>(algo), ws, ws_bytes, &beta, y_,
                                       b.dst);
      case Direction::bwd_data:
        return cudnnConvolutionBackwardData(h, &alpha, w_, b.wei, y_, b.dst, conv_,
                                            static_cast<cudnnConvolutionBwdDataAlgo_t>(algo), ws, ws_bytes,
                                            &beta, x_, b.src);
      case Direction::bwd_weights:
        return cudnnConvolutionBackwardFilter(h, &alpha, x_, b.src, y_, b.dst, conv_,
                                              static_cast<cudnnConvolutionBwdFilterAlgo_t>(algo), ws,
                                              ws_bytes, &beta, w_, b.wei);
    }
    return CUDNN_STATUS_BAD_PARAM;
  }

 private:
  static void set_tensor(cudnnTensorDescriptor_t d, const Problem& p, int64_t n, int64_t c,
                         const std::array<int64_t, 3>& spatial, int first, bool channels_last) {
    const int nd = p.spatial_dims + 2;
    std::array<int, 5> dims{static_cast<int>(n), static_cast<int>(c), 1, 1, 1};
    for (int a = first, i = 2; a < 3; ++a, ++i) dims[i] = static_cast<int>(spatial[a]);
    std::array<int, 5> strides{};
    if (channels_last) {  // n, then spatial outermost to innermost, then c innermost
      strides[1] = 1;
      int s = static_cast<int>(c);
      for (int i = nd - 1; i >= 2; --i) {
        strides[i] = s;
        s *= dims[i];
      }
      strides[0] = s;
    } else {
      int s = 1;
      for (int i = nd - 1; i >= 0; --i) {
        strides[i] = s;
        s *= dims[i];
      }
    }
    check_cudnn(cudnnSetTensorNdDescriptor(d, data_type(p.type), nd, dims.data(), strides.data()),
                "cudnnSetTensorNdDescriptor");
  }

  cudnnTensorDescriptor_t x_ = nullptr, y_ = nullptr;
  cudnnFilterDescriptor_t w_ = nullptr;
  cudnnConvolutionDescriptor_t conv_ = nullptr;
};

size_t algo_count(Direction d) {
  return d == Direction::fwd        ? kFwdAlgos.size()
         : d == Direction::bwd_data ? kBwdDataAlgos.size()
                                    : kBwdFilterAlgos.size();
}
const char* algo_name(Direction d, size_t i) {
  return d == Direction::fwd        ? kFwdAlgos[i]
         : d == Direction::bwd_data ? kBwdDataAlgos[i]
                                    : kBwdFilterAlgos[i];
}

std::string algo_notes(Direction d, const std::string& algo) {
  std::string notes;
  auto add = [&notes](const char* n) { append_note(&notes, n); };
  if (d != Direction::fwd && (algo == "ALGO_0" || (d == Direction::bwd_weights && algo == "ALGO_3"))) {
    add("nondeterministic");
  }
  if (algo.rfind("FFT", 0) == 0) add("fft");
  if (algo.rfind("WINOGRAD", 0) == 0) add("winograd");
  return notes;
}

class LegacyRunner final : public ConvRunner {
 public:
  LegacyRunner(cudnnHandle_t h, const Problem& p, int algo, cudnnMathType_t math)
      : handle_(h), dir_(p.dir), algo_(algo), desc_(p) {
    desc_.set_math(math);
    check_cudnn(desc_.workspace(h, dir_, algo, &workspace_), "workspace query");
  }
  [[nodiscard]] size_t workspace_bytes() const override { return workspace_; }
  void bind(const BufferSet& buffers, void* workspace) override {
    buffers_ = buffers;
    ws_ = workspace;
  }
  cudnnStatus_t launch() override { return desc_.run(handle_, dir_, algo_, buffers_, ws_, workspace_); }

 private:
  cudnnHandle_t handle_;
  Direction dir_;
  int algo_;
  LegacyDescriptors desc_;
  size_t workspace_ = 0;
  BufferSet buffers_;
  void* ws_ = nullptr;
};

}  // namespace

std::vector<Candidate> legacy_candidates(cudnnHandle_t handle, const Problem& p) {
  std::vector<Candidate> out;
  // The legacy descriptors take int dimensions and strides: a tensor of 2^31 elements or more is refused
  // (seen on the H200: 16x512x512x512 outputs of the gfx1010 preset). Every algorithm is then still listed,
  // and its trial says UNSUPPORTED with cuDNN's status, instead of the problem losing its engine candidates
  // too.
  std::unique_ptr<LegacyDescriptors> desc;
  std::string refused = p.symmetric() ? "" : kSymmetricOnly;
  try {
    if (refused.empty()) desc = std::make_unique<LegacyDescriptors>(p);
  } catch (const CudnnError& e) {
    refused = e.what();
  }
  const bool f32_data = p.type == DataType::f32 || p.type == DataType::tf32;
  for (const MathChoice& m : kMaths) {
    // ALLOW_CONVERSION differs from TENSOR_OP only for f32 data (it is how TF32 is requested there).
    if (m.type == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION && !f32_data) continue;
    if (desc) desc->set_math(m.type);
    for (size_t a = 0; a < algo_count(p.dir); ++a) {
      size_t bytes = 0;
      if (desc && desc->workspace(handle, p.dir, static_cast<int>(a), &bytes) != CUDNN_STATUS_SUCCESS)
        continue;
      Candidate c;
      c.id = std::string("legacy.") + dir_tag(p.dir) + "." + algo_name(p.dir, a) + "." + m.name;
      c.family = "legacy";
      c.notes = algo_notes(p.dir, algo_name(p.dir, a));
      if (m.type != CUDNN_FMA_MATH) {
        // Tensor-op math on f32 data computes in TF32; on f16/bf16 data it is the native tensor-core path.
        append_note(&c.notes, f32_data ? "tensor_core,tf32" : "tensor_core");
      }
      c.attrs = {{"api", "legacy"},
                 {"algo", std::to_string(a)},
                 {"math", std::to_string(static_cast<int>(m.type))},
                 {"workspace_query", desc ? std::to_string(bytes) : std::string("none")}};
      if (!desc) c.attrs["listing"] = "descriptors refused: " + refused;
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::unique_ptr<ConvRunner> make_legacy_runner(cudnnHandle_t handle, const Problem& p, const Candidate& c) {
  if (!p.symmetric()) throw TrialError(Verdict::unsupported, kSymmetricOnly);
  const int algo = std::stoi(c.attrs.at("algo"));
  const auto math = static_cast<cudnnMathType_t>(std::stoi(c.attrs.at("math")));
  if (algo < 0 || static_cast<size_t>(algo) >= algo_count(p.dir)) {
    throw CudnnError(CUDNN_STATUS_BAD_PARAM, "legacy algo " + std::to_string(algo) + " out of range");
  }
  return std::make_unique<LegacyRunner>(handle, p, algo, math);
}

}  // namespace convprobe::cudnn
