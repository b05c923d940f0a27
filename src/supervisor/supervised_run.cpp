// The trial loop of the supervised executor: hand problem groups to free devices, turn heartbeats into
// watchdog deadlines, and turn every way a worker can end a trial into exactly one verdict.
#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>

#include "core/json_io.hpp"
#include "supervisor/exit_status.hpp"
#include "supervisor/supervised_executor.hpp"
#include "supervisor/worker_verdicts.hpp"

namespace convprobe {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

Clock::time_point after_ms(Clock::time_point t, double ms) {
  return t + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(ms));
}

}  // namespace

double SupervisedExecutor::deadline_for(const DeviceSlot& slot, Phase phase,
                                        double heartbeat_expected_ms) const {
  PhaseWork work;
  work.phase = phase;
  work.heartbeat_expected_ms = heartbeat_expected_ms;
  if (slot.trial) {
    work.flops = slot.trial->flops;
    work.run_phase_ms = slot.trial->run_phase_ms;
  }
  if (current_options_ != nullptr) {
    work.timed_runs = current_options_->warmup + current_options_->repeats;
    work.min_time_ms = current_options_->min_time_ms;
  }
  return phase_deadline_ms(limits_, slot.speed, work);
}

void SupervisedExecutor::on_heartbeat(DeviceSlot& slot, const nlohmann::json& message) {
  Phase phase = Phase::setup;
  const auto it = message.find("phase");
  if (it == message.end() || !it->is_string() || !phase_from_string(it->get<std::string>(), &phase)) {
    throw std::invalid_argument("heartbeat without a valid \"phase\"");
  }
  const auto e = message.find("expected_ms");
  const double expected = (e != message.end() && e->is_number()) ? e->get<double>() : 0;
  InFlight& t = *slot.trial;
  if (t.phase == Phase::run && phase != Phase::run)
    t.run_phase_ms = ms_between(t.phase_started, Clock::now());
  start_phase(slot, phase, expected);
}

void SupervisedExecutor::start_phase(DeviceSlot& slot, Phase phase, double heartbeat_expected_ms) {
  InFlight& t = *slot.trial;
  t.phase = phase;
  t.phase_started = Clock::now();
  t.watch = PhaseWatch(deadline_for(slot, phase, heartbeat_expected_ms));
  t.waits_at_phase = read_task_waits(static_cast<pid_t>(slot.active.process->pid()));
  // The worker's runnable time cannot pass the deadline sooner than its wall time does.
  t.next_check = after_ms(t.phase_started, t.watch.deadline_ms());
}

bool SupervisedExecutor::check_deadline(DeviceSlot& slot, RunState* run) {
  InFlight& t = *slot.trial;
  const auto now = Clock::now();
  if (now < t.next_check) return false;
  WorkerProcess& worker = *slot.active.process;
  PhaseObservation seen;
  seen.silent_ms = ms_between(t.phase_started, now);
  seen.cpu_wait_ms = std::min(seen.silent_ms,
                              waited_ms(t.waits_at_phase, read_task_waits(static_cast<pid_t>(worker.pid()))));
  const SystemPressure pressure = read_system_pressure();
  seen.pressure = pressure.worst();
  seen.pressure_kind = pressure.worst_name();
  const bool was_confirming = t.watch.confirming();
  const PhaseWatch::Judgement judgement = t.watch.judge(seen);
  if (!judgement.hung) {
    if (t.watch.confirming() && !was_confirming)
      log(SupervisorEvent::Kind::hang_suspected, slot, worker.pid(), static_cast<int64_t>(t.request),
          t.attempt);
    t.next_check = after_ms(now, judgement.recheck_in_ms);
    return false;
  }
  log(SupervisorEvent::Kind::deadline_expired, slot, worker.pid(), static_cast<int64_t>(t.request),
      t.attempt);
  events_.back().deadline = now;
  worker.kill_group();
  worker.read_stderr();
  fail_trial_worker(
      slot, run,
      hang_result(t.phase, seen.silent_ms, t.watch.hang_explanation(seen), worker.stderr_tail().text()));
  return true;
}

void SupervisedExecutor::finish_trial(DeviceSlot& slot, RunState* run, TrialResult result, bool worker_lost) {
  const InFlight t = std::move(*slot.trial);
  slot.trial.reset();
  const TrialRequest& request = (*run->requests)[t.request];
  const double wall = ms_between(t.started, Clock::now());
  result.attempt = t.attempt;
  if (result.device.empty()) {
    result.device = slot.device_label;
  } else {
    slot.device_label = result.device;
  }
  if (worker_lost || !(result.wall_ms > 0)) result.wall_ms = wall;
  reject_impossible_timing(&result);
  // The trial that built the problem's inputs and fp64 reference says nothing about the candidates' speed.
  // The speed is learnt in the worker's own time, as deadlines are counted: on a busy machine the wall time
  // would inflate the deadlines of every later trial, and with them the time to catch a real hang.
  if (!worker_lost && !t.builds_problem) {
    const double waited =
        waited_ms(t.waits_at_start, read_task_waits(static_cast<pid_t>(slot.active.process->pid())));
    slot.speed.add(t.flops, std::max(0.0, wall - waited));
  }
  run->best.record(key(request.problem), result);
  log(SupervisorEvent::Kind::trial_finished, slot, 0, static_cast<int64_t>(t.request), t.attempt,
      result.verdict);
  // Never a silent retry: only --retries re-runs a trial whose worker died or hung, and every attempt is
  // reported on its own.
  if (worker_lost && t.attempt - request.attempt < options_.retries)
    slot.queue.emplace_front(t.request, t.attempt + 1);
  TrialRequest reported = request;
  reported.attempt = t.attempt;
  if (run->on_result != nullptr && *run->on_result) {
    run->callbacks.push_back([cb = run->on_result, reported = std::move(reported),
                              result = std::move(result)] { (*cb)(reported, result); });
  }
}

void SupervisedExecutor::fail_trial_worker(DeviceSlot& slot, RunState* run, TrialResult result) {
  log(SupervisorEvent::Kind::worker_lost, slot, slot.active.process->pid());
  set_.retire(slot.active.process);
  slot.active = SlotWorker{};
  finish_trial(slot, run, std::move(result), true);
}

void SupervisedExecutor::service_active(DeviceSlot& slot, RunState* run) {
  SlotWorker& w = slot.active;
  if (w.process == nullptr) return;
  auto phase_now = [&] { return slot.trial ? slot.trial->phase : Phase::setup; };
  // Anything malformed ends the worker; a trial in flight becomes CRASH "protocol error: ...".
  auto protocol_failure = [&](const std::string& error) {
    w.process->kill_group();
    w.process->read_stderr();
    const std::string tail = w.process->stderr_tail().text();
    if (slot.trial && run != nullptr) {
      fail_trial_worker(slot, run, protocol_error_result(phase_now(), error, tail));
    } else {
      lose_worker(slot, w, !w.ready, with_stderr_tail("protocol error: " + error, tail));
    }
  };

  nlohmann::json message;
  std::string err;
  for (;;) {
    const auto status = w.process->next_message(&message, &err);
    if (status == protocol::FrameDecoder::Status::need_more) break;
    if (status == protocol::FrameDecoder::Status::error) return protocol_failure(err);
    const std::string type = protocol::message_type(message);
    if (type == protocol::kHello) {
      if (!handle_hello(slot, w, message, &err)) return protocol_failure(err);
      continue;
    }
    if (!w.ready) return protocol_failure("'" + type + "' before hello");
    const auto seq_read = integer_of<uint64_t>(message.value("seq", nlohmann::json(0)));
    if (!seq_read) return protocol_failure("'" + type + "' with \"seq\" " + message.at("seq").dump());
    const uint64_t seq = *seq_read;
    if (type == protocol::kHeartbeat || type == protocol::kResult) {
      if (!slot.trial || run == nullptr || seq != slot.trial->seq) {
        return protocol_failure(fmt::format("'{}' for request {} that is not running", type, seq));
      }
      try {
        if (type == protocol::kHeartbeat) {
          on_heartbeat(slot, message);
          continue;
        }
        TrialResult result = trial_result_from_json(message.at("result"));
        const bool restart = result.restart_worker;
        finish_trial(slot, run, std::move(result), false);
        // A sticky device error: the next trial must get a clean context, i.e. the standby.
        if (restart) return lose_worker(slot, w, false, "worker retired after a sticky device error");
      } catch (const std::exception& e) {
        return protocol_failure(std::string("malformed '") + type + "': " + e.what());
      }
      continue;
    }
    if (type == protocol::kCandidates || type == protocol::kError) {
      slot.answer = Answer{seq, std::move(message)};
      continue;
    }
    return protocol_failure("unexpected message type '" + type + "'");
  }

  if (w.process->response_closed() || w.process->reaped()) {
    if (!w.process->reaped()) return;  // re-checked in a moment: the verdict needs the real exit status
    w.process->kill_group();           // anything the worker left behind in its group
    w.process->read_stderr();
    const int status = w.process->wait_status();
    const std::string tail = w.process->stderr_tail().text();
    if (slot.trial && run != nullptr)
      return fail_trial_worker(slot, run, death_result(phase_now(), status, tail));
    return lose_worker(slot, w, !w.ready,
                       with_stderr_tail("worker ended: " + describe_wait_status(status), tail));
  }

  if (slot.trial && run != nullptr && check_deadline(slot, run)) return;
  if (!w.ready && Clock::now() - w.process->started() > kStartupTimeout) {
    lose_worker(slot, w, true, "no hello within 60 s");
  }
}

bool SupervisedExecutor::dispatch(DeviceSlot& slot, RunState& run) {
  if (slot.queue.empty()) {
    if (run.groups.empty()) return false;
    // A whole problem group goes to one device: its reference is computed once, in that worker.
    for (size_t i : run.groups.front().requests) slot.queue.emplace_back(i, (*run.requests)[i].attempt);
    run.groups.pop_front();
  }
  const auto [index, attempt] = slot.queue.front();
  const TrialRequest& request = (*run.requests)[index];
  TrialOptions options = *run.options;
  options.device = slot.device;
  options.best_so_far_ms = run.best.get(key(request.problem));
  const uint64_t seq = ++next_seq_;
  std::string err;
  const nlohmann::json message{{"type", protocol::kTrial},
                               {"seq", seq},
                               {"problem", to_string(request.problem)},
                               {"candidate", to_json(request.candidate)},
                               {"options", to_json(options)}};
  if (!slot.active.process->send(message, &err)) {
    // The worker died while idle; the trial never started. The next turn promotes the standby.
    lose_worker(slot, slot.active, false, err);
    return false;
  }
  slot.queue.pop_front();
  const auto now = Clock::now();
  InFlight t;
  t.request = index;
  t.attempt = attempt;
  t.seq = seq;
  t.flops = request.problem.flops();
  std::string problem_key = key(request.problem);
  t.builds_problem = problem_key != slot.active.problem_key;
  slot.active.problem_key = std::move(problem_key);
  t.started = now;
  slot.trial = t;
  start_phase(slot, Phase::setup, 0);
  slot.trial->waits_at_start = slot.trial->waits_at_phase;
  log(SupervisorEvent::Kind::trial_started, slot, slot.active.process->pid(), static_cast<int64_t>(index),
      attempt);
  if (run.on_start != nullptr && *run.on_start) {
    TrialRequest started = request;
    started.attempt = attempt;
    run.callbacks.push_back([cb = run.on_start, started = std::move(started)] { (*cb)(started); });
  }
  return true;
}

void SupervisedExecutor::run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
                             const ResultCallback& on_result, const StartCallback& on_start) {
  events_.clear();
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
    for (;;) {
      for (auto& slot : slots_) {
        service_standby(slot);
        service_active(slot, &state);
      }
      if (info_ && !info_->available) {
        throw std::runtime_error(
            fmt::format("backend '{}' is unavailable: {}", options_.backend, info_->reason));
      }
      bool busy = false;
      for (auto& slot : slots_) {
        const bool has_work = slot.trial || !slot.queue.empty() || !state.groups.empty();
        if (!has_work) continue;
        busy = true;
        ensure_workers(slot, true);
        if (slot.active.ready && !slot.trial) dispatch(slot, state);
      }
      // Callbacks run after the turn's dispatching, so a slow callback (a database commit) never delays the
      // next trial.
      auto callbacks = std::move(state.callbacks);
      state.callbacks.clear();
      for (auto& cb : callbacks) cb();
      if (!busy) break;

      auto wake = Clock::now() + std::chrono::seconds(60);
      for (const auto& slot : slots_) {
        if (slot.trial) wake = std::min(wake, slot.trial->next_check);
        for (const SlotWorker* w : {&slot.active, &slot.standby}) {
          if (w->process != nullptr && !w->ready)
            wake = std::min(wake, w->process->started() + kStartupTimeout);
        }
      }
      if (set_.wait(wake) == WorkerSet::WaitResult::interrupted) interrupted();
    }
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
