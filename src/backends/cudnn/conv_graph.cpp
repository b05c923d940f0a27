#include "conv_graph.hpp"

#include <array>
#include <sstream>

#include "cuda_status.hpp"
#include "cudnn_types.hpp"
#include "vendor/cudnn_plan_tag.hpp"

namespace convprobe::cudnn {
namespace {

// Unique ids of the three tensors, as PyTorch's v8 path uses them ('x', 'y', 'w').
constexpr int64_t kUidX = 'x', kUidY = 'y', kUidW = 'w';

// Logical dims (n, c, [d,] h, w) and strides of one tensor in the problem's layout.
void dims_and_strides(const Problem& p, int64_t n, int64_t c, const std::array<int64_t, 3>& spatial,
                      std::vector<int64_t>* dims, std::vector<int64_t>* strides) {
  const int first = 3 - p.spatial_dims;
  dims->assign({n, c});
  for (int a = first; a < 3; ++a) dims->push_back(spatial[a]);
  const size_t nd = dims->size();
  strides->assign(nd, 1);
  if (p.layout == Layout::nhwc) {
    int64_t s = c;
    for (size_t i = nd - 1; i >= 2; --i) {
      (*strides)[i] = s;
      s *= (*dims)[i];
    }
    (*strides)[1] = 1;
    (*strides)[0] = s;
  } else {
    int64_t s = 1;
    for (size_t i = nd; i-- > 0;) {
      (*strides)[i] = s;
      s *= (*dims)[i];
    }
  }
}

BackendDescriptor make_tensor(const Problem& p, int64_t uid, int64_t n, int64_t c,
                              const std::array<int64_t, 3>& sp) {
  std::vector<int64_t> dims, strides;
  dims_and_strides(p, n, c, sp, &dims, &strides);
  BackendDescriptor t(CUDNN_BACKEND_TENSOR_DESCRIPTOR);
  const cudnnDataType_t dt = data_type(p.type);
  t.set(CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &dt);
  t.set_int64s(CUDNN_ATTR_TENSOR_DIMENSIONS, dims);
  t.set_int64s(CUDNN_ATTR_TENSOR_STRIDES, strides);
  t.set_int64(CUDNN_ATTR_TENSOR_UNIQUE_ID, uid);
  t.set_int64(CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, 16);
  t.finalize("tensor descriptor " + std::to_string(uid));
  return t;
}

std::vector<int64_t> spatial_of(const Problem& p, const std::array<int64_t, 3>& v, int64_t add = 0) {
  std::vector<int64_t> out;
  for (int a = 3 - p.spatial_dims; a < 3; ++a) out.push_back(v[a] + add);
  return out;
}

}  // namespace

ConvGraph::ConvGraph(cudnnHandle_t handle, const Problem& problem) : handle_(handle) {
  const Problem p = as_2d_at_least(problem);
  x_ = make_tensor(p, kUidX, p.mb, p.ic, p.in);
  w_ = make_tensor(p, kUidW, p.oc, p.ic / p.g, p.kernel);
  y_ = make_tensor(p, kUidY, p.mb, p.oc, p.out());

  conv_ = BackendDescriptor(CUDNN_BACKEND_CONVOLUTION_DESCRIPTOR);
  const cudnnDataType_t comp = CUDNN_DATA_FLOAT;  // f32 accumulation for every storage type (as PyTorch)
  const cudnnConvolutionMode_t mode = CUDNN_CROSS_CORRELATION;
  conv_.set(CUDNN_ATTR_CONVOLUTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &comp);
  conv_.set(CUDNN_ATTR_CONVOLUTION_CONV_MODE, CUDNN_TYPE_CONVOLUTION_MODE, 1, &mode);
  conv_.set_int64(CUDNN_ATTR_CONVOLUTION_SPATIAL_DIMS, p.spatial_dims);
  // The graph API pads each side on its own: asymmetric problems (ONNX SAME_UPPER, Keras "same" with a
  // stride) run as they are.
  const std::array<int64_t, 3> ends{p.canonical_pad_end(0), p.canonical_pad_end(1), p.canonical_pad_end(2)};
  conv_.set_int64s(CUDNN_ATTR_CONVOLUTION_PRE_PADDINGS, spatial_of(p, p.pad_begin));
  conv_.set_int64s(CUDNN_ATTR_CONVOLUTION_POST_PADDINGS, spatial_of(p, ends));
  conv_.set_int64s(CUDNN_ATTR_CONVOLUTION_DILATIONS, spatial_of(p, p.dilation, 1));
  conv_.set_int64s(CUDNN_ATTR_CONVOLUTION_FILTER_STRIDES, spatial_of(p, p.stride));
  conv_.finalize("convolution descriptor");

  const float alpha = 1.0f, beta = 0.0f;
  switch (p.dir) {
    case Direction::fwd:
      op_tag_ = "ConvFwd";
      op_ = BackendDescriptor(CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_X, x_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_W, w_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_Y, y_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_CONV_DESC, conv_);
      op_.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_ALPHA, CUDNN_TYPE_FLOAT, 1, &alpha);
      op_.set(CUDNN_ATTR_OPERATION_CONVOLUTION_FORWARD_BETA, CUDNN_TYPE_FLOAT, 1, &beta);
      break;
    case Direction::bwd_data:
      op_tag_ = "ConvBwdData";
      op_ = BackendDescriptor(CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_DX, x_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_W, w_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_DY, y_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_CONV_DESC, conv_);
      op_.set(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_ALPHA, CUDNN_TYPE_FLOAT, 1, &alpha);
      op_.set(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_DATA_BETA, CUDNN_TYPE_FLOAT, 1, &beta);
      break;
    case Direction::bwd_weights:
      op_tag_ = "ConvBwdFilter";
      op_ = BackendDescriptor(CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_FILTER_DESCRIPTOR);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_X, x_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_DW, w_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_DY, y_);
      op_.set_descriptor(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_CONV_DESC, conv_);
      op_.set(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_ALPHA, CUDNN_TYPE_FLOAT, 1, &alpha);
      op_.set(CUDNN_ATTR_OPERATION_CONVOLUTION_BWD_FILTER_BETA, CUDNN_TYPE_FLOAT, 1, &beta);
      break;
  }
  op_.finalize(op_tag_ + " operation");

  graph_ = BackendDescriptor(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR);
  cudnnBackendDescriptor_t ops = op_.get();
  graph_.set(CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &ops);
  graph_.set(CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1, &handle_);  // deprecated, still honoured
  graph_.finalize("operation graph");
}

int64_t ConvGraph::engine_count() const {
  return graph_.get_int64(CUDNN_ATTR_OPERATIONGRAPH_ENGINE_GLOBAL_COUNT);
}

cudnnStatus_t ConvGraph::query_engine(int64_t index, EngineInfo* out) const {
  BackendDescriptor engine(CUDNN_BACKEND_ENGINE_DESCRIPTOR);
  engine.set_descriptor(CUDNN_ATTR_ENGINE_OPERATION_GRAPH, graph_);
  engine.set_int64(CUDNN_ATTR_ENGINE_GLOBAL_INDEX, index);
  const cudnnStatus_t s = engine.try_finalize();
  if (s != CUDNN_STATUS_SUCCESS) return s;
  out->index = index;
  std::array<cudnnBackendNumericalNote_t, CUDNN_NUMERICAL_NOTE_TYPE_COUNT> num{};
  int64_t n = 0;
  if (engine.get_attr(CUDNN_ATTR_ENGINE_NUMERICAL_NOTE, CUDNN_TYPE_NUMERICAL_NOTE, num.size(), &n,
                      num.data()) == CUDNN_STATUS_SUCCESS) {
    for (int64_t i = 0; i < n; ++i) out->numerical_notes.push_back(static_cast<int>(num[i]));
  }
  std::array<cudnnBackendBehaviorNote_t, CUDNN_BEHAVIOR_NOTE_TYPE_COUNT> beh{};
  n = 0;
  if (engine.get_attr(CUDNN_ATTR_ENGINE_BEHAVIOR_NOTE, CUDNN_TYPE_BEHAVIOR_NOTE, beh.size(), &n,
                      beh.data()) == CUDNN_STATUS_SUCCESS) {
    for (int64_t i = 0; i < n; ++i) out->behavior_notes.push_back(static_cast<int>(beh[i]));
  }
  auto infos = make_descriptors(CUDNN_BACKEND_KNOB_INFO_DESCRIPTOR, CUDNN_KNOB_TYPE_COUNTS);
  auto raws = raw(infos);
  n = 0;
  if (engine.get_attr(CUDNN_ATTR_ENGINE_KNOB_INFO, CUDNN_TYPE_BACKEND_DESCRIPTOR, raws.size(), &n,
                      raws.data()) == CUDNN_STATUS_SUCCESS) {
    for (int64_t i = 0; i < n; ++i) {
      KnobInfo k;
      cudnnBackendKnobType_t type{};
      int64_t got = 0;
      if (infos[i].get_attr(CUDNN_ATTR_KNOB_INFO_TYPE, CUDNN_TYPE_KNOB_TYPE, 1, &got, &type) !=
          CUDNN_STATUS_SUCCESS) {
        continue;
      }
      k.type = static_cast<int64_t>(type);
      infos[i].get_attr(CUDNN_ATTR_KNOB_INFO_MINIMUM_VALUE, CUDNN_TYPE_INT64, 1, &got, &k.min);
      infos[i].get_attr(CUDNN_ATTR_KNOB_INFO_MAXIMUM_VALUE, CUDNN_TYPE_INT64, 1, &got, &k.max);
      infos[i].get_attr(CUDNN_ATTR_KNOB_INFO_STRIDE, CUDNN_TYPE_INT64, 1, &got, &k.stride);
      if (k.stride <= 0) k.stride = 1;
      out->knobs.push_back(k);
    }
  }
  return CUDNN_STATUS_SUCCESS;
}

BackendDescriptor ConvGraph::make_config(int64_t index, const KnobChoices& knobs) const {
  // Descriptors referenced by the config live as long as the graph (the backend API may keep pointers).
  BackendDescriptor engine(CUDNN_BACKEND_ENGINE_DESCRIPTOR);
  engine.set_descriptor(CUDNN_ATTR_ENGINE_OPERATION_GRAPH, graph_);
  engine.set_int64(CUDNN_ATTR_ENGINE_GLOBAL_INDEX, index);
  engine.finalize("engine " + std::to_string(index));
  BackendDescriptor config(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR);
  config.set_descriptor(CUDNN_ATTR_ENGINECFG_ENGINE, engine);
  std::vector<BackendDescriptor> choices;
  for (const auto& [type, value] : knobs) {
    BackendDescriptor choice(CUDNN_BACKEND_KNOB_CHOICE_DESCRIPTOR);
    const auto kt = static_cast<cudnnBackendKnobType_t>(type);
    choice.set(CUDNN_ATTR_KNOB_CHOICE_KNOB_TYPE, CUDNN_TYPE_KNOB_TYPE, 1, &kt);
    choice.set_int64(CUDNN_ATTR_KNOB_CHOICE_KNOB_VALUE, value);
    choice.finalize("knob choice k" + std::to_string(type) + "=" + std::to_string(value));
    choices.push_back(std::move(choice));
  }
  if (!choices.empty()) {
    auto raws = raw(choices);
    config.set(CUDNN_ATTR_ENGINECFG_KNOB_CHOICES, CUDNN_TYPE_BACKEND_DESCRIPTOR,
               static_cast<int64_t>(raws.size()), raws.data());
  }
  config.finalize("engine config " + plan_tag(op_tag_, index, knobs));
  keep_alive_.push_back(std::move(engine));
  for (auto& c : choices) keep_alive_.push_back(std::move(c));
  return config;
}

std::vector<BackendDescriptor> ConvGraph::heuristics(cudnnBackendHeurMode_t mode) const {
  BackendDescriptor heur(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR);
  heur.set_descriptor(CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, graph_);
  heur.set(CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &mode);
  heur.finalize("engine heuristics mode " + std::to_string(mode));
  int64_t count = 0;
  check_cudnn(heur.get_attr(CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, 0, &count, nullptr),
              "heuristics result count");
  auto configs = make_descriptors(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR, static_cast<size_t>(count));
  auto raws = raw(configs);
  int64_t got = 0;
  check_cudnn(
      heur.get_attr(CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, count, &got, raws.data()),
      "heuristics results");
  configs.resize(static_cast<size_t>(got));
  return configs;
}

int64_t config_engine_index(const BackendDescriptor& config) {
  BackendDescriptor engine(CUDNN_BACKEND_ENGINE_DESCRIPTOR);
  cudnnBackendDescriptor_t raw_engine = engine.get();
  int64_t n = 0;
  check_cudnn(config.get_attr(CUDNN_ATTR_ENGINECFG_ENGINE, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &n, &raw_engine),
              "engine of config");
  return engine.get_int64(CUDNN_ATTR_ENGINE_GLOBAL_INDEX);
}

KnobChoices config_knobs(const BackendDescriptor& config) {
  auto choices = make_descriptors(CUDNN_BACKEND_KNOB_CHOICE_DESCRIPTOR, CUDNN_KNOB_TYPE_COUNTS);
  auto raws = raw(choices);
  int64_t n = 0;
  KnobChoices out;
  if (config.get_attr(CUDNN_ATTR_ENGINECFG_KNOB_CHOICES, CUDNN_TYPE_BACKEND_DESCRIPTOR, raws.size(), &n,
                      raws.data()) != CUDNN_STATUS_SUCCESS) {
    return out;
  }
  for (int64_t i = 0; i < n; ++i) {
    cudnnBackendKnobType_t type{};
    int64_t value = 0, got = 0;
    check_cudnn(choices[i].get_attr(CUDNN_ATTR_KNOB_CHOICE_KNOB_TYPE, CUDNN_TYPE_KNOB_TYPE, 1, &got, &type),
                "knob choice type");
    check_cudnn(choices[i].get_attr(CUDNN_ATTR_KNOB_CHOICE_KNOB_VALUE, CUDNN_TYPE_INT64, 1, &got, &value),
                "knob choice value");
    out.emplace_back(static_cast<int64_t>(type), value);
  }
  return out;
}

std::string plan_tag(const std::string& op_tag, int64_t engine, const KnobChoices& knobs) {
  return format_plan_tag(op_tag, engine, knobs);  // the one writer of the format (vendor/cudnn_plan_tag)
}

std::string knobs_to_attr(const KnobChoices& knobs) {
  std::string out;
  for (const auto& [type, value] : knobs) {
    if (!out.empty()) out += ',';
    out += std::to_string(type);
    out += '=';
    out += std::to_string(value);
  }
  return out;
}

KnobChoices knobs_from_attr(const std::string& text) {
  KnobChoices out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t eq = item.find('=');
    if (item.empty()) continue;
    if (eq == std::string::npos) throw std::invalid_argument("knob attr '" + item + "': expected TYPE=VALUE");
    out.emplace_back(std::stoll(item.substr(0, eq)), std::stoll(item.substr(eq + 1)));
  }
  return out;
}

namespace {

class EngineRunner final : public ConvRunner {
 public:
  EngineRunner(cudnnHandle_t handle, const Problem& p, int64_t engine, const KnobChoices& knobs)
      : handle_(handle),
        graph_(handle, p),
        config_(graph_.make_config(engine, knobs)),
        plan_(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR) {
    plan_.set_descriptor(CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG, config_);
    // Deprecated in 9.x (the graph carries the handle) but harmless; ignore a refusal.
    cudnnBackendSetAttribute(plan_.get(), CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1, &handle_);
    plan_.finalize("execution plan " + plan_tag(graph_.op_tag(), engine, knobs));
    workspace_ = static_cast<size_t>(plan_.get_int64(CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE));
  }
  [[nodiscard]] size_t workspace_bytes() const override { return workspace_; }
  void bind(const BufferSet& b, void* workspace) override {
    BackendDescriptor pack(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR);
    const std::array<int64_t, 3> uids{kUidX, kUidW, kUidY};
    std::array<void*, 3> ptrs{b.src, b.wei, b.dst};
    pack.set(CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, 3, uids.data());
    pack.set(CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR, 3, ptrs.data());
    pack.set(CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1, &workspace);
    pack.finalize("variant pack");
    pack_ = std::move(pack);
  }
  cudnnStatus_t launch() override { return cudnnBackendExecute(handle_, plan_.get(), pack_.get()); }

 private:
  cudnnHandle_t handle_;
  ConvGraph graph_;
  BackendDescriptor config_;
  BackendDescriptor plan_;
  size_t workspace_ = 0;
  BackendDescriptor pack_;  ///< set by bind()
};

}  // namespace

std::unique_ptr<ConvRunner> make_engine_runner(cudnnHandle_t handle, const Problem& p, int64_t engine,
                                               const KnobChoices& knobs) {
  return std::make_unique<EngineRunner>(handle, p, engine, knobs);
}

}  // namespace convprobe::cudnn
