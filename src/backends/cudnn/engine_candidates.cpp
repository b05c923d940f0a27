#include "engine_candidates.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <type_traits>

#include "conv_graph.hpp"
#include "cuda_status.hpp"
#include "knob_sampling.hpp"
#include "note_list.hpp"

namespace convprobe::cudnn {
namespace {

constexpr std::array<const char*, 10> kNumericalNames = {
    "tensor_core",         "down_convert",   "reduced_precision_reduction", "fft",
    "nondeterministic",    "winograd",       "winograd_tile_4x4",           "winograd_tile_6x6",
    "winograd_tile_13x13", "strict_nan_prop"};
constexpr std::array<const char*, 5> kBehaviorNames = {
    "runtime_compilation", "requires_filter_int8x32_reorder", "requires_bias_int8x32_reorder",
    "supports_cuda_graph", "cublaslt_dependency"};

template <typename T>
bool has(const std::vector<T>& v, std::type_identity_t<T> x) {  // x converts (a note enum to int)
  return std::find(v.begin(), v.end(), x) != v.end();
}

// One engine config found by any route, before filtering.
struct Found {
  int64_t engine = 0;
  KnobChoices knobs;
  std::string sources;  ///< "default", "heur_a", "heur_b", "fallback", "sample", joined by '+'
};

void add_found(std::vector<Found>* found, std::map<std::string, size_t>* by_tag, const std::string& op_tag,
               int64_t engine, KnobChoices knobs, const char* source) {
  const std::string tag = plan_tag(op_tag, engine, knobs);
  auto it = by_tag->find(tag);
  if (it != by_tag->end()) {
    std::string& s = (*found)[it->second].sources;
    if (s.find(source) == std::string::npos) s += std::string("+") + source;
    return;
  }
  (*by_tag)[tag] = found->size();
  found->push_back({engine, std::move(knobs), source});
}

struct SampleCounts {  // for the profile line: where knob sampling's time goes
  int uniform = 0, uniform_refused = 0, near = 0, near_refused = 0, added = 0;
};

}  // namespace

std::string engine_notes(const std::vector<int>& numerical, const std::vector<int>& behavior) {
  std::string out;
  auto add = [&out](const std::string& n) { append_note(&out, n); };
  for (int n : numerical)
    add(n >= 0 && n < static_cast<int>(kNumericalNames.size()) ? kNumericalNames[n]
                                                               : "numerical_note_" + std::to_string(n));
  for (int b : behavior)
    add(b >= 0 && b < static_cast<int>(kBehaviorNames.size()) ? kBehaviorNames[b]
                                                              : "behavior_note_" + std::to_string(b));
  return out;
}

bool math_allows(const Problem& p, const std::string& math, bool tf32_math) {
  if (math != "strict" && math != "tf32" && math != "both") {
    throw std::invalid_argument("math option '" + math + "': expected strict, tf32 or both");
  }
  if (p.type == DataType::f16 || p.type == DataType::bf16) return true;
  if (p.type == DataType::tf32) return tf32_math;
  if (math == "strict") return !tf32_math;
  if (math == "tf32") return tf32_math;
  return true;
}

EngineEnumeration engine_candidates(cudnnHandle_t handle, const Problem& p, const TrialOptions& options,
                                    const Errata& errata, uint64_t cudnn_version, ListingProfile& profile) {
  EngineEnumeration result;
  std::unique_ptr<ConvGraph> graph;
  try {
    graph = std::make_unique<ConvGraph>(handle, p);
  } catch (const CudnnError& e) {
    result.graph_status = e.what();
    return result;
  }
  result.engine_count = graph->engine_count();
  std::map<int64_t, EngineInfo> engines;
  for (int64_t i = 0; i < result.engine_count; ++i) {
    EngineInfo info;
    if (graph->query_engine(i, &info) == CUDNN_STATUS_SUCCESS) engines[i] = std::move(info);
  }
  result.engines_supported = static_cast<int64_t>(engines.size());
  profile.mark("graph + engine queries");
  // The math option is decided per engine (by its notes), so engines it drops are dropped before any of their
  // configs is finalized: with --math strict on f32 data that spares the tensor-core half of the draws.
  const bool f32_data = p.type == DataType::f32 || p.type == DataType::tf32;
  auto computes_tf32 = [f32_data](const EngineInfo& info) {
    return f32_data && (has(info.numerical_notes, CUDNN_NUMERICAL_NOTE_TENSOR_CORE) ||
                        has(info.numerical_notes, CUDNN_NUMERICAL_NOTE_DOWN_CONVERT_INPUTS));
  };
  auto math_drops = [&](const EngineInfo& info) {
    return !math_allows(p, options.math, computes_tf32(info));
  };
  for (auto it = engines.begin(); it != engines.end();) {
    if (math_drops(it->second)) {
      result.engines_dropped_by_math.push_back(it->first);
      it = engines.erase(it);
    } else {
      ++it;
    }
  }
  profile.mark("math filter (" + std::to_string(result.engines_dropped_by_math.size()) + " engines dropped)");

  std::vector<Found> found;
  std::map<std::string, size_t> by_tag;
  const std::string& op = graph->op_tag();
  for (const auto& [index, info] : engines) {
    try {
      const BackendDescriptor config = graph->make_config(index, {});
      add_found(&found, &by_tag, op, index, config_knobs(config), "default");
    } catch (const CudnnError&) {
      // The default config of a supported engine can still be refused (seen: engine 5); samples may work.
    }
  }
  profile.mark("default configs");
  const std::array<std::pair<cudnnBackendHeurMode_t, const char*>, 3> modes = {
      std::pair{CUDNN_HEUR_MODE_A, "heur_a"}, std::pair{CUDNN_HEUR_MODE_B, "heur_b"},
      std::pair{CUDNN_HEUR_MODE_FALLBACK, "fallback"}};
  for (const auto& [mode, name] : modes) {
    try {
      for (const BackendDescriptor& config : graph->heuristics(mode)) {
        const int64_t index = config_engine_index(config);
        if (has(result.engines_dropped_by_math, index)) continue;
        if (engines.count(index) == 0) {
          EngineInfo info;
          if (graph->query_engine(index, &info) != CUDNN_STATUS_SUCCESS) continue;
          if (math_drops(info)) {
            result.engines_dropped_by_math.push_back(index);
            continue;
          }
          engines[index] = std::move(info);
        }
        add_found(&found, &by_tag, op, index, config_knobs(config), name);
      }
    } catch (const CudnnError&) {
      // A heuristics mode that cannot serve this graph contributes nothing.
    }
    profile.mark(name);
  }
  SampleCounts counts;
  for (const auto& [engine_index, info] : engines) {
    if (info.knobs.empty() || options.knob_samples <= 0) continue;
    const int64_t index = engine_index;  // lambdas below: older clang cannot capture a structured binding
    KnobSampler sampler(options.seed, index);
    // Valid configs of this engine so far (default, heuristics, samples): the bases of near draws.
    std::vector<KnobChoices> valid;
    for (const Found& f : found) {
      if (f.engine == index) valid.push_back(f.knobs);
    }
    int added = 0;
    auto try_config = [&](const KnobChoices& knobs, int* draws, int* refused) {
      ++*draws;
      try {
        const BackendDescriptor config = graph->make_config(index, knobs);
        KnobChoices chosen = config_knobs(config);
        if (by_tag.count(plan_tag(op, index, chosen)) != 0) return;
        add_found(&found, &by_tag, op, index, chosen, "sample");
        valid.push_back(std::move(chosen));
        ++added;
        ++counts.added;
      } catch (const CudnnError&) {
        ++*refused;  // an invalid combination: draw again
      }
    };
    // Uniform draws first (every valid config can come up), then draws one knob away from a valid config:
    // most uniform combinations of a tensor-core engine's knobs are refused, and each refusal costs a config
    // finalization (~0.9 ms on the H200), so the second half of the budget goes where validity is likelier.
    const int budget = options.knob_samples * kDrawsPerSample;
    for (int attempt = 0; attempt < budget / 2 && added < options.knob_samples; ++attempt) {
      try_config(sampler.uniform(info.knobs), &counts.uniform, &counts.uniform_refused);
    }
    for (int attempt = budget / 2; attempt < budget && added < options.knob_samples && !valid.empty();
         ++attempt) {
      try_config(sampler.one_knob_away(valid[sampler.below(valid.size())], info.knobs), &counts.near,
                 &counts.near_refused);
    }
  }

  profile.mark("knob samples (" + std::to_string(counts.uniform) + " uniform draws, " +
               std::to_string(counts.uniform_refused) + " uniform refused, " + std::to_string(counts.near) +
               " near draws, " + std::to_string(counts.near_refused) + " near refused, " +
               std::to_string(counts.added) + " samples added)");
  for (const Found& f : found) {
    const EngineInfo& info = engines[f.engine];
    const bool tf32 = computes_tf32(info);
    Candidate c;
    c.id = plan_tag(op, f.engine, f.knobs);
    if (errata.blocks(c.id, cudnn_version)) {
      ++result.blocked_by_errata;
      continue;
    }
    c.family = "engine";
    c.notes = engine_notes(info.numerical_notes, info.behavior_notes);
    if (tf32) append_note(&c.notes, "tf32");
    c.attrs = {{"api", "engine"},
               {"engine", std::to_string(f.engine)},
               {"knobs", knobs_to_attr(f.knobs)},
               {"source", f.sources}};
    result.candidates.push_back(std::move(c));
  }
  return result;
}

}  // namespace convprobe::cudnn
