// The trial loop of the supervised executor: hand problem groups to free devices, record every finished
// trial exactly once, and deliver results after each turn of the loop.
#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>

#include "core/json_io.hpp"
#include "supervisor/supervised_executor.hpp"

namespace convprobe {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

void SupervisedExecutor::deliver_result(const TrialRequest& request, int attempt, TrialResult result,
                                        RunState* run) {
  TrialRequest reported = request;
  reported.attempt = attempt;
  if (run->on_result != nullptr && *run->on_result) {
    run->callbacks.push_back([cb = run->on_result, reported = std::move(reported),
                              result = std::move(result)] { (*cb)(reported, result); });
  }
}

void SupervisedExecutor::finish_trial(Device& device, RunState* run, TrialResult result, bool worker_lost) {
  const InFlight t = std::move(*device.trial);
  device.trial.reset();
  const TrialRequest& request = (*run->requests)[t.request];
  const double wall = ms_between(t.started, Clock::now());
  result.attempt = t.attempt;
  if (result.device.empty()) {
    result.device = device.label;
  } else {
    device.label = result.device;
  }
  if (worker_lost || !(result.wall_ms > 0)) result.wall_ms = wall;
  reject_impossible_timing(&result);
  // The trial that built the problem's inputs and fp64 reference says nothing about the candidates' speed.
  // The speed is learnt in the worker's own time, as deadlines are counted: on a busy machine the wall time
  // would inflate the deadlines of every later trial, and with them the time to catch a real hang.
  if (!worker_lost && !t.builds_problem) {
    const double waited =
        waited_ms(t.waits_at_start, read_task_waits(static_cast<pid_t>(device.slot.active().process->pid())));
    device.speed.add(t.flops, std::max(0.0, wall - waited));
  }
  run->best.record(key(request.problem), result);
  log_.add(SupervisorEvent::Kind::trial_finished, device.slot.device(), 0, static_cast<int64_t>(t.request),
           t.attempt, result.verdict);
  // Never a silent retry: only --retries re-runs a trial whose worker died or hung, and every attempt is
  // reported on its own.
  if (worker_lost && t.attempt - request.attempt < options_.retries)
    device.queue.emplace_front(t.request, t.attempt + 1);
  deliver_result(request, t.attempt, std::move(result), run);
}

void SupervisedExecutor::fail_trial_worker(Device& device, RunState* run, TrialResult result) {
  device.slot.retire_active();
  finish_trial(device, run, std::move(result), true);
}

bool SupervisedExecutor::dispatch(Device& device, RunState& run) {
  if (device.queue.empty()) {
    if (run.groups.empty()) return false;
    // A whole problem group goes to one device: its reference is computed once, in that worker.
    for (size_t i : run.groups.front().requests) device.queue.emplace_back(i, (*run.requests)[i].attempt);
    run.groups.pop_front();
  }
  const auto [index, attempt] = device.queue.front();
  const TrialRequest& request = (*run.requests)[index];
  TrialOptions options = *run.options;
  options.device = device.slot.device();
  options.best_so_far_ms = run.best.get(key(request.problem));
  const uint64_t seq = ++next_seq_;
  std::string err;
  const nlohmann::json message{{"type", protocol::kTrial},
                               {"seq", seq},
                               {"problem", to_string(request.problem)},
                               {"candidate", to_json(request.candidate)},
                               {"options", to_json(options)}};
  DeviceSlot::Worker& worker = device.slot.active();
  if (!worker.process->send(message, &err)) {
    // The worker died while idle; the trial never started. The next turn promotes the standby.
    device.slot.lose(worker, err);
    return false;
  }
  device.queue.pop_front();
  InFlight t;
  t.request = index;
  t.attempt = attempt;
  t.seq = seq;
  t.flops = request.problem.flops();
  std::string problem_key = key(request.problem);
  t.builds_problem = problem_key != worker.problem_key;
  worker.problem_key = std::move(problem_key);
  t.started = Clock::now();
  device.trial = t;
  start_phase(device, Phase::setup, 0);
  device.trial->waits_at_start = device.trial->waits_at_phase;
  log_.add(SupervisorEvent::Kind::trial_started, device.slot.device(), worker.process->pid(),
           static_cast<int64_t>(index), attempt);
  if (run.on_start != nullptr && *run.on_start) {
    TrialRequest started = request;
    started.attempt = attempt;
    run.callbacks.push_back([cb = run.on_start, started = std::move(started)] { (*cb)(started); });
  }
  return true;
}

SupervisedExecutor::Clock::time_point SupervisedExecutor::next_wake() const {
  auto wake = Clock::now() + std::chrono::seconds(60);
  for (const auto& device : devices_) {
    if (device.trial) wake = std::min(wake, device.trial->next_check);
    wake = device.slot.hello_deadline(wake);
  }
  return wake;
}

void SupervisedExecutor::run_loop(RunState& state) {
  for (;;) {
    for (auto& device : devices_) {
      device.slot.service_standby();
      service_active(device, &state);
    }
    throw_if_unavailable();
    bool busy = false;
    for (auto& device : devices_) {
      const bool has_work = device.trial || !device.queue.empty() || !state.groups.empty();
      if (!has_work) continue;
      busy = true;
      device.slot.ensure_workers(true);
      if (device.slot.active().ready && !device.trial) dispatch(device, state);
    }
    // Callbacks run after the turn's dispatching, so a slow callback (a database commit) never delays the
    // next trial.
    auto callbacks = std::move(state.callbacks);
    state.callbacks.clear();
    for (auto& cb : callbacks) cb();
    if (!busy) return;
    if (set_.wait(next_wake()) == WorkerSet::WaitResult::interrupted) interrupted();
  }
}

void SupervisedExecutor::run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
                             const ResultCallback& on_result, const StartCallback& on_start) {
  log_.clear();
  if (requests.empty()) return;
  SignalScope signals;
  RunState state;
  state.requests = &requests;
  state.options = &options;
  state.on_result = &on_result;
  state.on_start = &on_start;
  for (auto& g : group_by_problem(requests)) state.groups.push_back(std::move(g));
  current_options_ = &options;
  try {
    run_loop(state);
  } catch (...) {
    // Whatever ends the run early (a callback's exception, an unusable backend, Ctrl-C) leaves no worker
    // behind and no trial half-accounted.
    current_options_ = nullptr;
    drop_all_workers();
    throw;
  }
  current_options_ = nullptr;
}

}  // namespace convprobe
