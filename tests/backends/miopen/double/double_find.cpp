#include "double_find.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

#include "double_env.hpp"
#include "double_finddb.hpp"
#include "double_version.hpp"

extern "C" int convprobe_test_hip_double_current_device();
extern "C" int convprobe_test_hip_double_device_of(const void* p);

namespace convprobe_double {
namespace {

using convprobe::Problem;

// >= 6.1 throws miopenStatusInvalidValue on a malformed boolean (rocm-6.2.0 env.hpp:106) at first use.
int env_status() {
  if (!env().bool_error.empty()) return kInvalidValue;
  return kSuccess;
}

float nominal_time(const Solver& s) { return 1.0f + 0.01f * static_cast<float>(s.id); }

// A find-db hit (5.2 convolutionocl.cpp:811-860; develop :682-765): the record's entries, filtered by the
// family variables (IsAlgorithmDisabled) and IsApplicable, sorted by time. A hit whose entries all drop out
// lists nothing: the fallback runs only on a miss.
std::vector<Solution> from_record(const Problem& p, const std::vector<FindDbEntry>& record) {
  std::vector<Solution> out;
  for (const auto& e : record) {
    const Solver* s = find(e.solver);
    if (s == nullptr || !env().family_enabled[s->algo] || !applicable(*s, p)) continue;
    out.push_back({e.time, workspace_bytes(*s, p), s->id, s->algo});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Solution& a, const Solution& b) { return a.time < b.time; });
  return out;
}

// The immediate fallback (5.2 convolutionocl.cpp:731-800; develop :580-680, where TunaNet comes first on
// archs that ship a model, none for gfx1010): dynamic, applicable solvers of enabled families with a known
// WTI, time = 10 ms / WTI, sorted by time.
std::vector<Solution> fallback(const Problem& p) {
  std::vector<Solution> out;
  for (const auto& s : registry()) {
    if (!env().family_enabled[s.algo] || !s.dynamic() || !applicable(s, p) || s.wti < 0) continue;
    out.push_back({10.0f / s.wti, workspace_bytes(s, p), s.id, s.algo});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Solution& a, const Solution& b) { return a.time < b.time; });
  return out;
}

struct Listing {
  std::vector<Solution> sols;
  bool fallback = false;
};

// GetSolutions: the find-db (user record over the system one; the double has no system db) else the fallback.
Listing listing(const Problem& p) {
  if (auto record = load_record(p)) return {from_record(p, *record), false};
  return {fallback(p), true};
}

// The search (SolverContainer::SearchForAllSolutions, 5.2 find_solution.hpp:148-160): every registered
// applicable solver of an enabled family, FIND_ONLY_SOLVER applied here and only here, non-dynamic ones
// skipped when `dynamic_only` (DYNAMIC_HYBRID). Each one is run (benchmarked): it may hang or crash.
std::vector<FindDbEntry> search(Handle& h, const Bound& b, size_t ws_size, bool dynamic_only) {
  std::vector<FindDbEntry> found;
  const std::string key = find_db_key(b.p);
  for (const auto& s : registry()) {
    if (!env().family_enabled[s.algo] || !applicable(s, b.p)) continue;
    const auto& only = env().find_only;
    if (!only.empty() && std::find(only.begin(), only.end(), s.id) == only.end()) continue;
    if (dynamic_only && !s.dynamic()) continue;
    if (ws_size < workspace_bytes(s, b.p)) continue;
    if (run_solver(s, b, true) != kSuccess) continue;
    h.invokers.insert({key, s.id});
    const bool broken_timer = s.misbehaviour == Misbehaviour::timer_backwards && timer_broken(b.p);
    found.push_back({s.id, broken_timer ? -1.0f : nominal_time(s), workspace_bytes(s, b.p), s.algo});
  }
  return found;
}

// UserFindDbRecord::TryLoad (5.2 find_db.cpp:238-279, develop :229-252): a user record is used only when
// every entry's invoker is already in this handle's cache; otherwise "Find-db regenerating.", a search, and
// the record is stored again (the destructor's StoreRecord).
std::vector<FindDbEntry> try_load(Handle& h, const Bound& b, size_t ws_size, bool dynamic_only) {
  const std::string key = find_db_key(b.p);
  if (auto record = load_record(b.p); record && !record->empty()) {
    const bool cached = std::all_of(record->begin(), record->end(), [&](const FindDbEntry& e) {
      return h.invokers.count({key, e.solver}) != 0;
    });
    if (cached) return *record;
  }
  auto found = search(h, b, ws_size, dynamic_only);
  // MIOPEN_FIND_ENFORCE=SEARCH|SEARCH_DB_UPDATE tunes every searched solver and updates the user perf-db
  // (5.2 find_solution.hpp:70-95, FindSolution with enforce.IsSearch; Compile sets disable_search_enforce,
  // convolutionocl.cpp:1022, so only Find tunes).
  if (env().enforce == Enforce::search || env().enforce == Enforce::search_db_update) {
    std::vector<uint64_t> ids;
    ids.reserve(found.size());
    for (const auto& e : found) ids.push_back(e.solver);
    store_perf_db(b.p, ids);
  }
  store_record(b.p, found);
  return found;
}

// Legacy Find and Find 2.0 keep the best solver per family (ShrinkToFind10Results, develop
// convolutionocl.cpp:125), sorted by time.
int report(const std::vector<FindDbEntry>& found, int request, int* returned, Perf* perf) {
  std::map<int, Perf> best;
  for (const auto& e : found) {
    if (!best.count(e.algo) || e.time < best[e.algo].time) best[e.algo] = {e.algo, e.time, e.workspace};
  }
  if (best.empty()) return kUnknownError;  // "Forward Convolution cannot be executed …" (5.2 :518)
  std::vector<Perf> sorted;
  sorted.reserve(best.size());
  for (const auto& [algo, pr] : best) sorted.push_back(pr);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Perf& a, const Perf& b) { return a.time < b.time; });
  *returned = 0;
  for (const auto& pr : sorted) {
    if (*returned >= request) break;
    perf[(*returned)++] = pr;
  }
  return kSuccess;
}

// Real HIP would run the kernels on the handle's device against memory of another: the double refuses.
bool on_handle_device(const Handle& h, const Bound& b) {
  if (convprobe_test_hip_double_current_device() != h.device) return false;
  return std::all_of(b.buf.begin(), b.buf.end(), [&](const auto& kv) {
    return convprobe_test_hip_double_device_of(kv.second) == h.device;
  });
}

}  // namespace

int solution_list(Handle& /*h*/, const Problem& p, size_t max, size_t* count, Solution* out) {
  if (const int st = env_status(); st != kSuccess) return st;
  const auto l = listing(p).sols;
  if (l.empty()) return kNotImplemented;  // "not supported or Immediate mode Fallback unsuccessful"
  *count = out == nullptr ? l.size() : std::min(max, l.size());
  if (out != nullptr) std::copy_n(l.begin(), *count, out);
  return kSuccess;
}

// GetSolutionWorkspaceSize checks applicability only when MayNeedWorkspace() (5.2 convolutionocl.cpp:910,
// develop :799); an id unknown to this release is BadParm.
int workspace_size(const Problem& p, uint64_t id, size_t* ws) {
  if (const int st = env_status(); st != kSuccess) return st;
  const Solver* s = find(id);
  if (s == nullptr || !serves(*s, p.dir)) return kBadParm;
  if (!s->may_need_workspace()) {
    *ws = 0;
    return kSuccess;
  }
  if (!applicable(*s, p)) return kBadParm;
  *ws = workspace_bytes(*s, p);
  return kSuccess;
}

// CompileSolution never checks applicability; it fills the handle's invoker cache.
int compile_solution(Handle& h, const Problem& p, uint64_t id) {
  if (const int st = env_status(); st != kSuccess) return st;
  const Solver* s = find(id);
  if (s == nullptr || !serves(*s, p.dir)) return kBadParm;
  h.invokers.insert({find_db_key(p), id});
  return kSuccess;
}

int immediate(Handle& h, const Bound& b, size_t ws_size, uint64_t id) {
  const Solver* s = find(id);
  if (s == nullptr || !serves(*s, b.p.dir)) return kBadParm;
  if (ws_size < workspace_bytes(*s, b.p)) return kBadParm;
  if (!on_handle_device(h, b)) {
    std::cerr << "MIOpen double: memory or current device is not the handle's device " << h.device
              << std::endl;
    return kUnknownError;
  }
  return run_solver(*s, b, false);
}

// FindConvolution (5.2 convolutionocl.cpp:469-518; 5.7 :179-210; develop :154-178).
int find_algorithms(Handle& h, const Bound& b, int request, int* returned, Perf* perf, size_t ws_size) {
  if (!env().find_only_error.empty()) return kBadParm;
  if (const int st = env_status(); st != kSuccess) return st;
  if (!on_handle_device(h, b)) return kUnknownError;
  // Any MIOPEN_FIND_ENFORCE action makes the mode NORMAL (5.2 find_controls.hpp:126-135).
  const FindMode mode = env().enforced() ? FindMode::normal : env().find_mode;
  const bool fast = mode == FindMode::fast;
  const bool hybrid = mode == FindMode::hybrid || mode == FindMode::dynamic_hybrid;
  if (fast || hybrid) {
    // The immediate listing with count 1; a fallback answer is not used in the Hybrid modes unless
    // MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK (>= 5.7). Nothing is benchmarked: compile and return it.
    const Listing l = listing(b.p);
    if (!l.sols.empty() && (!(hybrid && l.fallback) || env().force_immed_fallback)) {
      const Solution& s = l.sols.front();
      h.invokers.insert({find_db_key(b.p), s.id});
      return report({{s.id, s.time, s.workspace, s.algo}}, request, returned, perf);
    }
  }
  // use_dynamic_solutions_only = IsDynamicHybrid (5.2 :493, develop :178).
  return report(try_load(h, b, ws_size, mode == FindMode::dynamic_hybrid), request, returned, perf);
}

}  // namespace convprobe_double
