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

/// Every config found so far, each once (by plan tag), in the order first found.
class FoundConfigs {
 public:
  explicit FoundConfigs(std::string op_tag) : op_tag_(std::move(op_tag)) {}

  [[nodiscard]] std::string tag(int64_t engine, const KnobChoices& knobs) const {
    return plan_tag(op_tag_, engine, knobs);
  }
  [[nodiscard]] bool has(int64_t engine, const KnobChoices& knobs) const {
    return by_tag_.count(tag(engine, knobs)) != 0;
  }
  /// Adds the config, or adds `source` to the sources of the config already found.
  void add(int64_t engine, KnobChoices knobs, const char* source) {
    const std::string t = tag(engine, knobs);
    auto it = by_tag_.find(t);
    if (it != by_tag_.end()) {
      std::string& s = found_[it->second].sources;
      if (s.find(source) == std::string::npos) s += std::string("+") + source;
      return;
    }
    by_tag_[t] = found_.size();
    found_.push_back({engine, std::move(knobs), source});
  }
  [[nodiscard]] const std::vector<Found>& all() const { return found_; }

 private:
  std::string op_tag_;
  std::vector<Found> found_;
  std::map<std::string, size_t> by_tag_;
};

struct SampleCounts {  // for the profile line: where knob sampling's time goes
  int uniform = 0, uniform_refused = 0, near = 0, near_refused = 0, added = 0;
};

using EngineTable = std::map<int64_t, EngineInfo>;

/// Whether the engine computes f32 data in TF32 (its notes say tensor cores or down-converted inputs).
bool computes_tf32(const Problem& p, const EngineInfo& info) {
  const bool f32_data = p.type == DataType::f32 || p.type == DataType::tf32;
  return f32_data && (has(info.numerical_notes, CUDNN_NUMERICAL_NOTE_TENSOR_CORE) ||
                      has(info.numerical_notes, CUDNN_NUMERICAL_NOTE_DOWN_CONVERT_INPUTS));
}

bool math_drops(const Problem& p, const TrialOptions& options, const EngineInfo& info) {
  return !math_allows(p, options.math, computes_tf32(p, info));
}

/// Stage 1: every engine of the graph that finalizes, with its notes and knobs.
EngineTable query_engines(const ConvGraph& graph, EngineEnumeration* result) {
  result->engine_count = graph.engine_count();
  EngineTable engines;
  for (int64_t i = 0; i < result->engine_count; ++i) {
    EngineInfo info;
    if (graph.query_engine(i, &info) == CUDNN_STATUS_SUCCESS) engines[i] = std::move(info);
  }
  result->engines_supported = static_cast<int64_t>(engines.size());
  return engines;
}

/// Stage 2: the math option is decided per engine (by its notes), so engines it drops are dropped before any
/// of their configs is finalized: with --math strict on f32 data that spares the tensor-core half of the
/// draws.
void drop_engines_by_math(const Problem& p, const TrialOptions& options, EngineTable* engines,
                          EngineEnumeration* result) {
  for (auto it = engines->begin(); it != engines->end();) {
    if (math_drops(p, options, it->second)) {
      result->engines_dropped_by_math.push_back(it->first);
      it = engines->erase(it);
    } else {
      ++it;
    }
  }
}

/// Stage 3: each engine's default config.
void add_default_configs(const ConvGraph& graph, const EngineTable& engines, FoundConfigs* found) {
  for (const auto& [index, info] : engines) {
    try {
      const BackendDescriptor config = graph.make_config(index, {});
      found->add(index, config_knobs(config), "default");
    } catch (const CudnnError&) {
      // The default config of a supported engine can still be refused (seen: engine 5); samples may work.
    }
  }
}

/// Stage 4: the configs heuristics modes A, B and FALLBACK return; an engine seen first here is queried
/// (and dropped when the math option excludes it). One profile mark per mode.
void add_heuristics_configs(const ConvGraph& graph, const Problem& p, const TrialOptions& options,
                            EngineTable* engines, FoundConfigs* found, EngineEnumeration* result,
                            ListingProfile& profile) {
  const std::array<std::pair<cudnnBackendHeurMode_t, const char*>, 3> modes = {
      std::pair{CUDNN_HEUR_MODE_A, "heur_a"}, std::pair{CUDNN_HEUR_MODE_B, "heur_b"},
      std::pair{CUDNN_HEUR_MODE_FALLBACK, "fallback"}};
  for (const auto& [mode, name] : modes) {
    try {
      for (const BackendDescriptor& config : graph.heuristics(mode)) {
        const int64_t index = config_engine_index(config);
        if (has(result->engines_dropped_by_math, index)) continue;
        if (engines->count(index) == 0) {
          EngineInfo info;
          if (graph.query_engine(index, &info) != CUDNN_STATUS_SUCCESS) continue;
          if (math_drops(p, options, info)) {
            result->engines_dropped_by_math.push_back(index);
            continue;
          }
          (*engines)[index] = std::move(info);
        }
        found->add(index, config_knobs(config), name);
      }
    } catch (const CudnnError&) {
      // A heuristics mode that cannot serve this graph contributes nothing.
    }
    profile.mark(name);
  }
}

/// Stage 5, for one engine: up to options.knob_samples new valid configs. Uniform draws first (every valid
/// config can come up), then draws one knob away from a valid config: most uniform combinations of a
/// tensor-core engine's knobs are refused, and each refusal costs a config finalization (~0.9 ms on the
/// H200), so the second half of the budget goes where validity is likelier.
void sample_engine(const ConvGraph& graph, int64_t index, const EngineInfo& info, const TrialOptions& options,
                   FoundConfigs* found, SampleCounts* counts) {
  KnobSampler sampler(options.seed, index);
  // Valid configs of this engine so far (default, heuristics, samples): the bases of near draws.
  std::vector<KnobChoices> valid;
  for (const Found& f : found->all()) {
    if (f.engine == index) valid.push_back(f.knobs);
  }
  int added = 0;
  auto try_config = [&](const KnobChoices& knobs, int* draws, int* refused) {
    ++*draws;
    try {
      const BackendDescriptor config = graph.make_config(index, knobs);
      KnobChoices chosen = config_knobs(config);
      if (found->has(index, chosen)) return;
      found->add(index, chosen, "sample");
      valid.push_back(std::move(chosen));
      ++added;
      ++counts->added;
    } catch (const CudnnError&) {
      ++*refused;  // an invalid combination: draw again
    }
  };
  const int budget = options.knob_samples * kDrawsPerSample;
  for (int attempt = 0; attempt < budget / 2 && added < options.knob_samples; ++attempt) {
    try_config(sampler.uniform(info.knobs), &counts->uniform, &counts->uniform_refused);
  }
  for (int attempt = budget / 2; attempt < budget && added < options.knob_samples && !valid.empty();
       ++attempt) {
    try_config(sampler.one_knob_away(valid[sampler.below(valid.size())], info.knobs), &counts->near,
               &counts->near_refused);
  }
}

/// Stage 5: knob samples of every engine that has knobs.
SampleCounts add_knob_samples(const ConvGraph& graph, const EngineTable& engines, const TrialOptions& options,
                              FoundConfigs* found) {
  SampleCounts counts;
  for (const auto& [index, info] : engines) {
    if (info.knobs.empty() || options.knob_samples <= 0) continue;
    sample_engine(graph, index, info, options, found, &counts);
  }
  return counts;
}

std::string samples_profile_text(const SampleCounts& counts) {
  return "knob samples (" + std::to_string(counts.uniform) + " uniform draws, " +
         std::to_string(counts.uniform_refused) + " uniform refused, " + std::to_string(counts.near) +
         " near draws, " + std::to_string(counts.near_refused) + " near refused, " +
         std::to_string(counts.added) + " samples added)";
}

/// The found configs as candidates, minus those the errata file blocks.
void add_candidates(const Problem& p, EngineTable& engines, const FoundConfigs& found, const Errata& errata,
                    uint64_t cudnn_version, EngineEnumeration* result) {
  for (const Found& f : found.all()) {
    const EngineInfo& info = engines[f.engine];
    Candidate c;
    c.id = found.tag(f.engine, f.knobs);
    if (errata.blocks(c.id, cudnn_version)) {
      ++result->blocked_by_errata;
      continue;
    }
    c.family = "engine";
    c.notes = engine_notes(info.numerical_notes, info.behavior_notes);
    if (computes_tf32(p, info)) append_note(&c.notes, "tf32");
    c.attrs = {{"api", "engine"},
               {"engine", std::to_string(f.engine)},
               {"knobs", knobs_to_attr(f.knobs)},
               {"source", f.sources}};
    result->candidates.push_back(std::move(c));
  }
}

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
  EngineTable engines = query_engines(*graph, &result);
  profile.mark("graph + engine queries");
  drop_engines_by_math(p, options, &engines, &result);
  profile.mark("math filter (" + std::to_string(result.engines_dropped_by_math.size()) + " engines dropped)");
  FoundConfigs found(graph->op_tag());
  add_default_configs(*graph, engines, &found);
  profile.mark("default configs");
  add_heuristics_configs(*graph, p, options, &engines, &found, &result, profile);
  const SampleCounts counts = add_knob_samples(*graph, engines, options, &found);
  profile.mark(samples_profile_text(counts));
  add_candidates(p, engines, found, errata, cudnn_version, &result);
  return result;
}

}  // namespace convprobe::cudnn
