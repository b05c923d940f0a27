// The MIOpen backend: libMIOpen.so and the HIP runtime are dlopen'ed when the plugin starts; a missing
// library or entry point is a state reported by info(), never a crash.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "backends/miopen/device_kernel.hpp"
#include "backends/miopen/device_query.hpp"
#include "backends/miopen/framework_pick.hpp"
#include "backends/miopen/library_search.hpp"
#include "backends/miopen/runtime.hpp"
#include "backends/miopen/solver_listing.hpp"
#include "convprobe/backend.hpp"
#include "core/host_trial.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {
namespace {

// What a forced worker's Find must see, whatever the user exported: NORMAL mode (the only one whose search
// reaches non-dynamic solvers and never answers from the immediate fallback), no find-db (a user record
// neither read nor written: one left behind would steer the user's framework), no FIND_ENFORCE (it tunes and
// writes the user's perf-db), no FORCE_IMMED_MODE_FALLBACK (from 5.7 it makes Find return the fallback).
// ../shared/research/miopen-real.md findings 1 and 2. "" = unset.
const std::map<std::string, std::string>& forced_worker_overrides() {
  static const std::map<std::string, std::string> kOverrides = {
      {"MIOPEN_FIND_MODE", "NORMAL"},
      {"MIOPEN_DEBUG_DISABLE_FIND_DB", "1"},
      {"MIOPEN_FIND_ENFORCE", ""},
      {"MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK", ""},
  };
  return kOverrides;
}

// Applied before MIOpen is loaded: it reads each variable once, at first use. Returns what changed.
std::vector<std::string> apply_forced_worker_overrides() {
  std::vector<std::string> changed;
  for (const auto& [name, value] : forced_worker_overrides()) {
    const char* old = std::getenv(name.c_str());
    const std::string was = old != nullptr ? fmt::format("'{}'", old) : "unset";
    if (value.empty()) {
      if (old != nullptr) changed.push_back(fmt::format("{} unset (was {})", name, was));
      unsetenv(name.c_str());
    } else {
      if (old == nullptr || value != old) changed.push_back(fmt::format("{}={} (was {})", name, value, was));
      setenv(name.c_str(), value.c_str(), 1);
    }
  }
  return changed;
}

class MiopenBackend final : public Backend {
 public:
  MiopenBackend() : framework_(framework_mode_of_process()) {
    if (framework_ != FrameworkMode::off && framework_ != FrameworkMode::listing) {
      override_notes_ = apply_framework_worker_env(framework_);
      if (const char* forced = std::getenv(kFindOnlySolverEnv); forced != nullptr) forced_solver_ = forced;
    } else if (const char* forced = std::getenv(kFindOnlySolverEnv); forced != nullptr && *forced != '\0') {
      forced_solver_ = forced;
      override_notes_ = apply_forced_worker_overrides();
    }
    rt_ = load_runtime(&load_error_);
  }

  ~MiopenBackend() override {
    for (auto& [device, handle] : handles_) rt_->mi.destroy(handle);
  }

  [[nodiscard]] std::string name() const override { return "miopen"; }

  BackendInfo info() override {
    BackendInfo bi;
    bi.name = "miopen";
    if (!rt_) {
      bi.reason = load_error_;
      return bi;
    }
    bi.version = miopen_version(*rt_);
    if (const auto hip = hip_version(*rt_); !hip.empty()) bi.version += " (" + hip + ")";
    if (rt_->test_double) bi.version += " [test double]";
    bi.notes = rt_->notes;
    std::string note;
    const auto gpus = query_gpus(*rt_, &note);
    if (!note.empty()) bi.notes.push_back(note);
    for (const auto& g : gpus) {
      DeviceInfo d;
      d.index = g.index;
      d.name = g.arch.empty() ? (g.name.empty() ? "AMD GPU " + std::to_string(g.index) : g.name) : g.arch;
      d.details = fmt::format("{}{} CUs, MIOpen {}, HIP {}", g.name.empty() ? "" : g.name + ", ",
                              g.compute_units, rt_->miopen_path, rt_->hip_path);
      bi.devices.push_back(d);
    }
    if (gpus.empty()) {
      bi.reason = "no AMD GPU visible to HIP (hipGetDeviceCount returned 0 devices)" +
                  (note.empty() ? std::string() : ": " + note);
      return bi;
    }
    for (auto& n : database_notes()) bi.notes.push_back(std::move(n));
    for (auto& m : malformed_switches(process_env(), loaded_version(*rt_)))
      bi.notes.push_back("WARNING: " + m);
    add_override_notes(bi);
    bi.available = true;
    return bi;
  }

  std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& options) override {
    require_runtime();
    select_device(options.device);
    if (framework_ != FrameworkMode::off)
      return miopen_data_type(problem.type) < 0 ? std::vector<Candidate>{} : framework_candidates();
    return list_candidates(*rt_, handle(options.device), problem, arch(options.device));
  }

  TrialResult run_trial(const Problem& problem, const Candidate& candidate, const TrialOptions& options,
                        TrialContext& context) override {
    require_runtime();
    select_device(options.device);
    TrialEnvironment env;
    env.rt = rt_.get();
    env.forced_solver = forced_solver_;
    env.framework = framework_;
    std::vector<std::string> picked;
    env.picked = &picked;
    HostSetup setup = [&](const Problem& p, const Candidate& c, const TrialOptions& o) {
      env.handle = handle(o.device);
      env.stream = stream_of(env.handle);
      return make_device_kernel(env, p, c, o);
    };
    TrialResult r = run_host_trial(problem, candidate, options, context, cache_, setup);
    r.device = "miopen:" + std::to_string(options.device);
    r.picked = std::move(picked);
    return r;
  }

  [[nodiscard]] std::vector<std::string> relevant_env_prefixes() const override {
    return {"MIOPEN_", "HIP_", "HSA_", "ROCR_", "ROCM_PATH", "CONVPROBE_MIOPEN_", "CONVPROBE_HIP_"};
  }

 private:
  void require_runtime() const {
    if (!rt_) throw std::runtime_error("miopen unavailable: " + load_error_);
  }

  // Every call sequence (a listing, a trial) starts by making its device current: hipMalloc, events and a
  // handle's kernels all use the current device, and a worker may serve several devices in turn.
  void select_device(int device) {
    if (const auto e = rt_->hip.set_device(device); e != 0) {
      throw std::runtime_error(fmt::format("hipSetDevice({}): {}", device, rt_->hip_text(e)));
    }
  }

  // The forced workers' overrides, in the notes (what this worker changed) and for the run fingerprint.
  void add_override_notes(BackendInfo& bi) const {
    if (framework_ != FrameworkMode::off) {
      const bool record = framework_ == FrameworkMode::record;
      bi.notes.push_back(fmt::format(
          "{}={}: {}", kFrameworkEnv, to_string(framework_),
          record ? "MIOpen's NORMAL Find writes the find-db record of the forced solver"
                 : "MIOpen picks the solver itself, in its default find mode (framework candidates only)"));
      for (const auto& c : override_notes_) bi.notes.push_back("overridden in this worker: " + c);
      return;
    }
    bi.worker_env_overrides = forced_worker_overrides();
    for (auto& [name, value] : bi.worker_env_overrides) {
      if (value.empty()) value = "(unset)";
    }
    if (forced_solver_.empty()) {
      std::vector<std::string> list;
      for (const auto& [name, value] : bi.worker_env_overrides) list.push_back(name + "=" + value);
      bi.notes.push_back(
          fmt::format("forced workers (one per solver, {}) run with {}, whatever this environment says",
                      kFindOnlySolverEnv, fmt::join(list, ", ")));
      return;
    }
    bi.notes.push_back(
        fmt::format("{}={}: this worker's Find sees only that solver, in NORMAL mode, find-db off",
                    kFindOnlySolverEnv, forced_solver_));
    for (const auto& c : override_notes_) bi.notes.push_back("overridden in this worker: " + c);
  }

  miopen_abi::Handle handle(int device) {
    if (auto it = handles_.find(device); it != handles_.end()) return it->second;
    select_device(device);
    miopen_abi::Handle h = nullptr;
    if (const auto s = rt_->mi.create(&h); s != miopen_abi::kSuccess) {
      throw std::runtime_error("miopenCreate: " + rt_->status_text(s));
    }
    handles_[device] = h;
    return h;
  }

  miopen_abi::Stream stream_of(miopen_abi::Handle h) const {
    miopen_abi::Stream s = nullptr;
    if (rt_->mi.get_stream != nullptr && rt_->mi.get_stream(h, &s) != miopen_abi::kSuccess) s = nullptr;
    return s;  // null: the default stream, which MIOpen uses when it has none of its own
  }

  std::string arch(int device) {
    if (auto it = arch_.find(device); it != arch_.end()) return it->second;
    std::string note;
    std::string a;
    for (const auto& g : query_gpus(*rt_, &note)) {
      if (g.index == device) a = g.arch;
    }
    arch_[device] = a;
    return a;
  }

  FrameworkMode framework_;
  std::unique_ptr<Runtime> rt_;
  std::string load_error_;
  std::string forced_solver_;
  std::vector<std::string> override_notes_;
  std::map<int, miopen_abi::Handle> handles_;
  std::map<int, std::string> arch_;
  HostProblemCache cache_;
};

}  // namespace
}  // namespace convprobe::miopen

CONVPROBE_DEFINE_BACKEND(convprobe::miopen::MiopenBackend)
