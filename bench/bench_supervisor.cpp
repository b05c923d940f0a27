// What supervision costs, measured side by side in one run (docs/performance.md records the figures):
//   (a) wall time of a whole sweep (oneDNN, gfx1010-quick) supervised vs --in-process, alternating, medians;
//   (b) time from a hang's deadline to the next trial starting on the warm standby (fault backend);
//   --gpu: P2 on a real GPU instead (cuDNN backend, CONVPROBE_GPU_FAULTS=1): fault.gpu_hang (a kernel that
//   never ends) alternating with a healthy legacy cuDNN trial, deadline -> next trial start and -> its end.
// A plain program printing a table, not part of ctest:  bench_supervisor [--rounds N] [--hangs N]
//   [--backend NAME] [--preset NAME] [--gpu]
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exec/plugin_loader.hpp"
#include "problem/presets.hpp"
#include "exec/executor.hpp"
#include "jobs/executor_factory.hpp"
#include "supervisor/supervised_executor.hpp"

namespace convprobe {
namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  int rounds = 3;
  int hangs = 12;
  std::string backend = "onednn";
  std::string preset = "gfx1010-quick";
  bool gpu = false;  ///< only the GPU hang measurement (P2), with the cuDNN backend
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string join_ms(const std::vector<double>& v, double scale, const char* unit) {
  std::string out;
  for (double x : v) out += fmt::format("{}{:.2f}{}", out.empty() ? "" : " ", x * scale, unit);
  return out;
}

std::string worker_program() {
  return (std::filesystem::path(self_executable()).parent_path() / "convprobe").string();
}

/// One whole sweep through a fresh executor (worker start-up included, as a user's sweep pays it).
double sweep_seconds(const ExecutorOptions& options, const std::vector<TrialRequest>& requests,
                     std::map<std::string, int>* verdicts) {
  const auto start = Clock::now();
  auto executor = make_executor(options);
  executor->run(requests, TrialOptions{}, [&](const TrialRequest&, const TrialResult& r) {
    ++(*verdicts)[std::string(to_string(r.verdict))];
  });
  executor.reset();  // worker shutdown counts too
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string verdict_summary(const std::map<std::string, int>& verdicts) {
  std::string out;
  for (const auto& [v, n] : verdicts) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", v, n);
  return out;
}

void overhead_ratio(const Args& args) {
  ExecutorOptions options;
  options.backend = args.backend;
  options.worker_executable = worker_program();
  options.in_process = true;
  std::string note;
  if (!make_executor(options)->info().available) {
    const std::string reason = make_executor(options)->info().reason;
    note = fmt::format("  NOTE: backend '{}' unavailable ({}); measured with 'reference' instead\n",
                       args.backend, reason);
    options.backend = "reference";
  }
  Preset preset;
  std::string err;
  if (!find_preset(args.preset, -1, &preset, &err)) {
    fmt::print("(a) skipped: {}\n", err);
    return;
  }
  auto lister = make_executor(options);
  std::vector<TrialRequest> requests;
  for (const auto& p : preset.problems) {
    for (const auto& c : lister->candidates(p, TrialOptions{})) requests.push_back({p, c, 1});
  }
  lister.reset();

  std::vector<double> in_process, supervised;
  std::map<std::string, int> verdicts_in, verdicts_sup;
  for (int round = 0; round < args.rounds; ++round) {
    // Alternate which goes first, so drift (thermal, other load) does not favour one side.
    for (int side = 0; side < 2; ++side) {
      const bool run_in_process = (round + side) % 2 == 0;
      ExecutorOptions o = options;
      o.in_process = run_in_process;
      std::map<std::string, int>& verdicts = run_in_process ? verdicts_in : verdicts_sup;
      verdicts.clear();
      const double s = sweep_seconds(o, requests, &verdicts);
      (run_in_process ? in_process : supervised).push_back(s);
    }
  }
  const double ratio = median(supervised) / median(in_process);
  fmt::print("(a) sweep wall time, backend {}, preset {} ({} problems, {} trials), {} rounds alternating\n",
             options.backend, args.preset, preset.problems.size(), requests.size(), args.rounds);
  fmt::print("{}", note);
  fmt::print("    in-process   median {:8.2f} s   runs: {}\n", median(in_process),
             join_ms(in_process, 1, " s"));
  fmt::print("    supervised   median {:8.2f} s   runs: {}\n", median(supervised),
             join_ms(supervised, 1, " s"));
  fmt::print("    ratio        {:.3f}   (goal <= 1.10): {}\n", ratio, ratio <= 1.10 ? "met" : "NOT met");
  fmt::print("    verdicts     in-process: {}\n                 supervised: {}\n",
             verdict_summary(verdicts_in), verdict_summary(verdicts_sup));
}

void hang_to_next_trial(const Args& args) {
  ExecutorOptions options;
  options.backend = "fault";
  options.worker_executable = worker_program();
  options.timeout_floor_ms = 200;
  SupervisedExecutor executor(options);
  Problem p;
  std::string err;
  parse_problem("mb1ic2ih8oc2kh3ph1", &p, &err);
  std::vector<TrialRequest> requests;
  for (int i = 0; i < args.hangs; ++i) {
    requests.push_back({p, Candidate{"fault.ok", "fault", "", {}}, 1});
    requests.push_back({p, Candidate{"fault.hang", "fault", "", {}}, 1});
    requests.push_back({p, Candidate{"fault.segv", "fault", "", {}}, 1});
  }
  requests.push_back({p, Candidate{"fault.ok", "fault", "", {}}, 1});
  TrialOptions trial_options;
  trial_options.warmup = 0;
  trial_options.repeats = 2;
  executor.run(requests, trial_options, [](const TrialRequest&, const TrialResult&) {});

  std::vector<double> after_hang, after_crash;
  const auto& ev = executor.events();
  for (size_t i = 0; i < ev.size(); ++i) {
    const bool hang = ev[i].kind == SupervisorEvent::Kind::deadline_expired;
    const bool crash = ev[i].kind == SupervisorEvent::Kind::trial_finished && ev[i].verdict == Verdict::crash;
    if (!hang && !crash) continue;
    for (size_t j = i + 1; j < ev.size(); ++j) {
      if (ev[j].kind == SupervisorEvent::Kind::trial_started && ev[j].device == ev[i].device) {
        const auto from = hang ? ev[i].deadline : ev[i].time;
        (hang ? after_hang : after_crash)
            .push_back(std::chrono::duration<double, std::milli>(ev[j].time - from).count());
        break;
      }
    }
  }
  const double med = median(after_hang);
  const double worst = after_hang.empty() ? 0 : *std::max_element(after_hang.begin(), after_hang.end());
  fmt::print(
      "(b) hang deadline -> next trial start on the warm standby, fault backend, {} hangs, floor 200 ms\n",
      after_hang.size());
  fmt::print("    median {:6.2f} ms   max {:6.2f} ms   (goal <= 20 ms): {}\n", med, worst,
             med <= 20 ? "met" : "NOT met");
  fmt::print("    crash result -> next trial start: median {:6.2f} ms over {} crashes\n", median(after_crash),
             after_crash.size());
}

/// Milliseconds from `from` to the first event of `kind` on `device` after index `i` (or -1).
double ms_to_next(const std::vector<SupervisorEvent>& ev, size_t i, SupervisorEvent::Kind kind,
                  Clock::time_point from, size_t* found = nullptr) {
  for (size_t j = i + 1; j < ev.size(); ++j) {
    if (ev[j].kind == kind && ev[j].device == ev[i].device) {
      if (found) *found = j;
      return std::chrono::duration<double, std::milli>(ev[j].time - from).count();
    }
  }
  return -1;
}

/// P2 on the GPU: a kernel that never ends (fault.gpu_hang) and then a healthy legacy cuDNN trial, N times.
/// "Next trial running" is read two ways from the supervisor's event log: the request written to the
/// promoted standby (trial_started) and that trial's result (trial_finished), both from the deadline. The
/// second includes the standby's own first-trial costs (CUDA context, cuDNN handle, the problem's inputs and
/// reference), which the canary's in-worker wall time isolates.
int gpu_hang_to_next_trial(const Args& args) {
  ExecutorOptions options;
  options.backend = "cudnn";
  options.worker_executable = worker_program();
  options.timeout_floor_ms = 300;
  options.timeout_cap_ms = 10000;
  options.env["CONVPROBE_GPU_FAULTS"] = "1";
  SupervisedExecutor executor(options);
  const BackendInfo info = executor.info();
  if (!info.available) {
    fmt::print("(gpu) cudnn backend unavailable: {}\n", info.reason);
    return 1;
  }
  Preset preset;
  std::string err;
  if (!find_preset("gfx1010-sizes", -1, &preset, &err)) {
    fmt::print("(gpu) {}\n", err);
    return 1;
  }
  const Problem p = preset.problems.front();
  TrialOptions trial_options;
  trial_options.warmup = 0;
  trial_options.repeats = 2;
  std::optional<Candidate> hang, canary;
  for (const auto& c : executor.candidates(p, trial_options)) {
    if (c.id == "fault.gpu_hang") hang = c;
    if (!canary && c.family == "legacy") canary = c;
  }
  if (!hang || !canary) {
    fmt::print("(gpu) the cudnn worker listed no fault.gpu_hang or no legacy candidate\n");
    return 1;
  }
  // One run() per hang, a pause before each: the measurement is of the warm-standby path, so the standby
  // started after the previous hang must be past its hello (the executor keeps its workers between runs).
  // Each round: hang, then the canary twice (the second shows the promoted worker once it is warm).
  std::vector<double> to_start, to_end, canary_first_after, canary_second_after, canary_before;
  std::map<std::string, int> verdicts;
  for (int round = 0; round <= args.hangs; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    std::vector<TrialRequest> requests;
    if (round > 0) requests.push_back({p, *hang, 1});
    requests.push_back({p, *canary, 1});
    requests.push_back({p, *canary, 1});
    int canaries = 0;
    executor.run(requests, trial_options, [&](const TrialRequest& req, const TrialResult& r) {
      ++verdicts[req.candidate.id + " " + std::string(to_string(r.verdict))];
      if (req.candidate.id != canary->id) return;
      if (round == 0) {
        canary_before.push_back(r.wall_ms);
      } else {
        (canaries == 0 ? canary_first_after : canary_second_after).push_back(r.wall_ms);
      }
      ++canaries;
    });
    const auto& ev = executor.events();
    for (size_t i = 0; i < ev.size(); ++i) {
      if (ev[i].kind != SupervisorEvent::Kind::deadline_expired) continue;
      size_t started = 0;
      const double s = ms_to_next(ev, i, SupervisorEvent::Kind::trial_started, ev[i].deadline, &started);
      if (s < 0) continue;
      to_start.push_back(s);
      const double e = ms_to_next(ev, started, SupervisorEvent::Kind::trial_finished, ev[i].deadline);
      if (e >= 0) to_end.push_back(e);
    }
  }
  std::string vs;
  for (const auto& [v, n] : verdicts) vs += fmt::format("{}{} x{}", vs.empty() ? "" : ", ", v, n);
  fmt::print("(gpu) P2: GPU hang deadline -> next trial, cudnn on {}, problem {}, {} hangs, floor 300 ms\n",
             info.devices.empty() ? "?" : info.devices.front().name, key(p), to_start.size());
  fmt::print("    hang = fault.gpu_hang, next trial = {}\n    verdicts: {}\n", canary->id, vs);
  fmt::print("    deadline -> next trial written to the standby: median {:7.2f} ms  (all: {})\n",
             median(to_start), join_ms(to_start, 1, ""));
  fmt::print(
      "    deadline -> next trial finished (PASS):        median {:7.2f} ms  (all: {})   goal <= 150 ms: "
      "{}\n",
      median(to_end), join_ms(to_end, 1, ""), !to_end.empty() && median(to_end) <= 150 ? "met" : "NOT met");
  fmt::print(
      "    canary wall in its worker: warm worker {} ms; on the promoted standby: first trial median "
      "{:.2f} ms, second {:.2f} ms\n",
      join_ms(canary_before, 1, ""), median(canary_first_after), median(canary_second_after));
  return 0;
}

}  // namespace
}  // namespace convprobe

int main(int argc, char** argv) {
  convprobe::Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--rounds" && has_value) {
      args.rounds = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--hangs" && has_value) {
      args.hangs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--backend" && has_value) {
      args.backend = argv[++i];
    } else if (a == "--preset" && has_value) {
      args.preset = argv[++i];
    } else if (a == "--gpu") {
      args.gpu = true;
    } else {
      fmt::print(
          stderr,
          "usage: bench_supervisor [--rounds N] [--hangs N] [--backend NAME] [--preset NAME] [--gpu]\n");
      return 2;
    }
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
  fmt::print("convprobe {} supervisor benchmark: {} on {}, {} hardware threads\n", CONVPROBE_VERSION, date,
             host, sysconf(_SC_NPROCESSORS_ONLN));
  if (args.gpu) return convprobe::gpu_hang_to_next_trial(args);
  convprobe::hang_to_next_trial(args);
  convprobe::overhead_ratio(args);
  return 0;
}
