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

namespace {

/// One listing, stage by stage (the stages its profile names): the graph, the engines still wanted, and every
/// config found so far by any route.
struct Listing {
  Listing(const Problem& problem, const CudnnOptions& cudnn_options, const ConvGraph& conv_graph)
      : p(problem), options(cudnn_options), graph(conv_graph) {}
  const Problem& p;
  const CudnnOptions& options;
  const ConvGraph& graph;
  std::map<int64_t, EngineInfo> engines;
  std::vector<Found> found;
  std::map<std::string, size_t> by_tag;

  /// The engine computes f32 data in TF32 (tensor cores, or inputs down-converted).
  [[nodiscard]] bool computes_tf32(const EngineInfo& info) const {
    const bool f32_data = p.type == DataType::f32 || p.type == DataType::tf32;
    return f32_data && (has(info.numerical_notes, CUDNN_NUMERICAL_NOTE_TENSOR_CORE) ||
                        has(info.numerical_notes, CUDNN_NUMERICAL_NOTE_DOWN_CONVERT_INPUTS));
  }
  [[nodiscard]] bool math_drops(const EngineInfo& info) const {
    return !math_allows(p, options.math, computes_tf32(info));
  }
  void add(int64_t engine, KnobChoices knobs, const char* source) {
    add_found(&found, &by_tag, graph.op_tag(), engine, std::move(knobs), source);
  }
};

void query_engines(Listing& l, EngineEnumeration* result) {
  result->engine_count = l.graph.engine_count();
  for (int64_t i = 0; i < result->engine_count; ++i) {
    EngineInfo info;
    if (l.graph.query_engine(i, &info) == CUDNN_STATUS_SUCCESS) l.engines[i] = std::move(info);
  }
  result->engines_supported = static_cast<int64_t>(l.engines.size());
}

/// The math option is decided per engine (by its notes), so engines it drops are dropped before any of their
/// configs is finalized: with --math strict on f32 data that spares the tensor-core half of the draws.
void drop_engines_by_math(Listing& l, EngineEnumeration* result) {
  for (auto it = l.engines.begin(); it != l.engines.end();) {
    if (l.math_drops(it->second)) {
      result->engines_dropped_by_math.push_back(it->first);
      it = l.engines.erase(it);
    } else {
      ++it;
    }
  }
}

void add_default_configs(Listing& l) {
  for (const auto& [index, info] : l.engines) {
    try {
      const BackendDescriptor config = l.graph.make_config(index, {});
      l.add(index, config_knobs(config), "default");
    } catch (const CudnnError&) {
      // The default config of a supported engine can still be refused (seen: engine 5); samples may work.
    }
  }
}

/// Every config heuristics modes A, B and FALLBACK return; an engine first seen here is queried (and the math
/// option applied to it) before its config is kept.
void add_heuristics_configs(Listing& l, EngineEnumeration* result, ListingProfile& profile) {
  const std::array<std::pair<cudnnBackendHeurMode_t, const char*>, 3> modes = {
      std::pair{CUDNN_HEUR_MODE_A, "heur_a"}, std::pair{CUDNN_HEUR_MODE_B, "heur_b"},
      std::pair{CUDNN_HEUR_MODE_FALLBACK, "fallback"}};
  for (const auto& [mode, name] : modes) {
    try {
      for (const BackendDescriptor& config : l.graph.heuristics(mode)) {
        const int64_t index = config_engine_index(config);
        if (has(result->engines_dropped_by_math, index)) continue;
        if (l.engines.count(index) == 0) {
          EngineInfo info;
          if (l.graph.query_engine(index, &info) != CUDNN_STATUS_SUCCESS) continue;
          if (l.math_drops(info)) {
            result->engines_dropped_by_math.push_back(index);
            continue;
          }
          l.engines[index] = std::move(info);
        }
        l.add(index, config_knobs(config), name);
      }
    } catch (const CudnnError&) {
      // A heuristics mode that cannot serve this graph contributes nothing.
    }
    profile.mark(name);
  }
}

/// Seeded random knob configs of one engine: uniform draws first (every valid config can come up), then draws
/// one knob away from a valid config: most uniform combinations of a tensor-core engine's knobs are refused,
/// and each refusal costs a config finalization (~0.9 ms on the H200), so the second half of the budget goes
/// where validity is likelier.
void sample_engine(Listing& l, int64_t index, const EngineInfo& info, uint64_t seed, SampleCounts* counts) {
  KnobSampler sampler(seed, index);
  // Valid configs of this engine so far (default, heuristics, samples): the bases of near draws.
  std::vector<KnobChoices> valid;
  for (const Found& f : l.found) {
    if (f.engine == index) valid.push_back(f.knobs);
  }
  const int wanted = l.options.knob_samples;
  int added = 0;
  auto try_config = [&](const KnobChoices& knobs, int* draws, int* refused) {
    ++*draws;
    try {
      const BackendDescriptor config = l.graph.make_config(index, knobs);
      KnobChoices chosen = config_knobs(config);
      if (l.by_tag.count(plan_tag(l.graph.op_tag(), index, chosen)) != 0) return;
      l.add(index, chosen, "sample");
      valid.push_back(std::move(chosen));
      ++added;
      ++counts->added;
    } catch (const CudnnError&) {
      ++*refused;  // an invalid combination: draw again
    }
  };
  const int budget = wanted * kDrawsPerSample;
  for (int attempt = 0; attempt < budget / 2 && added < wanted; ++attempt) {
    try_config(sampler.uniform(info.knobs), &counts->uniform, &counts->uniform_refused);
  }
  for (int attempt = budget / 2; attempt < budget && added < wanted && !valid.empty(); ++attempt) {
    try_config(sampler.one_knob_away(valid[sampler.below(valid.size())], info.knobs), &counts->near,
               &counts->near_refused);
  }
}

void add_knob_samples(Listing& l, uint64_t seed, ListingProfile& profile) {
  SampleCounts counts;
  for (const auto& [engine_index, info] : l.engines) {
    if (info.knobs.empty() || l.options.knob_samples <= 0) continue;
    sample_engine(l, engine_index, info, seed, &counts);
  }
  profile.mark("knob samples (" + std::to_string(counts.uniform) + " uniform draws, " +
               std::to_string(counts.uniform_refused) + " uniform refused, " + std::to_string(counts.near) +
               " near draws, " + std::to_string(counts.near_refused) + " near refused, " +
               std::to_string(counts.added) + " samples added)");
}

/// The configs found, as candidates, less those the errata file blocks.
void make_candidates(const Listing& l, const Errata& errata, uint64_t cudnn_version,
                     EngineEnumeration* result) {
  for (const Found& f : l.found) {
    const EngineInfo& info = l.engines.at(f.engine);
    Candidate c;
    c.id = plan_tag(l.graph.op_tag(), f.engine, f.knobs);
    if (errata.blocks(c.id, cudnn_version)) {
      ++result->blocked_by_errata;
      continue;
    }
    c.family = "engine";
    c.notes = engine_notes(info.numerical_notes, info.behavior_notes);
    if (l.computes_tf32(info)) append_note(&c.notes, "tf32");
    c.attrs = {{"api", "engine"},
               {"engine", std::to_string(f.engine)},
               {"knobs", knobs_to_attr(f.knobs)},
               {"source", f.sources}};
    result->candidates.push_back(std::move(c));
  }
}

}  // namespace

EngineEnumeration engine_candidates(cudnnHandle_t handle, const Problem& p, uint64_t seed,
                                    const CudnnOptions& options, const Errata& errata, uint64_t cudnn_version,
                                    ListingProfile& profile) {
  EngineEnumeration result;
  std::unique_ptr<ConvGraph> graph;
  try {
    graph = std::make_unique<ConvGraph>(handle, p);
  } catch (const CudnnError& e) {
    result.graph_status = e.what();
    return result;
  }
  Listing listing(p, options, *graph);
  query_engines(listing, &result);
  profile.mark("graph + engine queries");
  drop_engines_by_math(listing, &result);
  profile.mark("math filter (" + std::to_string(result.engines_dropped_by_math.size()) + " engines dropped)");
  add_default_configs(listing);
  profile.mark("default configs");
  add_heuristics_configs(listing, &result, profile);
  add_knob_samples(listing, seed, profile);
  make_candidates(listing, errata, cudnn_version, &result);
  return result;
}

}  // namespace convprobe::cudnn
