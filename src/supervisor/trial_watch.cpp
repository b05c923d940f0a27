// The watchdog over a device's trial in flight: every heartbeat starts a phase with its own deadline, counted
// in the time the worker could run (PhaseWatch, watchdog.hpp); a phase that passes it, confirmed on a loaded
// machine, is HANG and costs the worker.
#include <algorithm>

#include "supervisor/supervised_executor.hpp"
#include "supervisor/worker_verdicts.hpp"
#include "worker/protocol.hpp"

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

double SupervisedExecutor::deadline_for(const Device& device, Phase phase,
                                        double heartbeat_expected_ms) const {
  PhaseWork work;
  work.phase = phase;
  work.heartbeat_expected_ms = heartbeat_expected_ms;
  if (device.trial) {
    work.flops = device.trial->flops;
    work.run_phase_ms = device.trial->run_phase_ms;
  }
  if (current_options_ != nullptr) {
    work.timed_runs = current_options_->warmup + current_options_->repeats;
    work.min_time_ms = current_options_->min_time_ms;
  }
  return phase_deadline_ms(limits_, device.speed, work);
}

void SupervisedExecutor::on_heartbeat(Device& device, const nlohmann::json& message) {
  const protocol::Heartbeat beat = protocol::read_heartbeat(message);
  InFlight& t = *device.trial;
  if (t.phase == Phase::run && beat.phase != Phase::run)
    t.run_phase_ms = ms_between(t.phase_started, Clock::now());
  start_phase(device, beat.phase, beat.expected_ms);
}

void SupervisedExecutor::start_phase(Device& device, Phase phase, double heartbeat_expected_ms) {
  InFlight& t = *device.trial;
  t.phase = phase;
  t.phase_started = Clock::now();
  t.watch = PhaseWatch(deadline_for(device, phase, heartbeat_expected_ms));
  t.waits_at_phase = read_task_waits(static_cast<pid_t>(device.slot.active().process->pid()));
  // The worker's runnable time cannot pass the deadline sooner than its wall time does.
  t.next_check = after_ms(t.phase_started, t.watch.deadline_ms());
}

bool SupervisedExecutor::check_deadline(Device& device, RunState* run) {
  InFlight& t = *device.trial;
  const auto now = Clock::now();
  if (now < t.next_check) return false;
  WorkerProcess& worker = *device.slot.active().process;
  PhaseObservation seen;
  seen.silent_ms = ms_between(t.phase_started, now);
  seen.cpu_wait_ms = std::min(seen.silent_ms,
                              waited_ms(t.waits_at_phase, read_task_waits(static_cast<pid_t>(worker.pid()))));
  const SystemPressure pressure = read_system_pressure();
  seen.pressure = pressure.worst();
  seen.pressure_kind = pressure.worst_name();
  const bool was_confirming = t.watch.confirming();
  const PhaseWatch::Judgement judgement = t.watch.judge(seen);
  const int device_index = device.slot.device();
  if (!judgement.hung) {
    if (t.watch.confirming() && !was_confirming)
      log_.add(SupervisorEvent::Kind::hang_suspected, device_index, worker.pid(),
               static_cast<int64_t>(t.request), t.attempt);
    t.next_check = after_ms(now, judgement.recheck_in_ms);
    return false;
  }
  log_.add(SupervisorEvent::Kind::deadline_expired, device_index, worker.pid(),
           static_cast<int64_t>(t.request), t.attempt)
      .deadline = now;
  worker.kill_group();
  worker.read_stderr();
  fail_trial_worker(
      device, run,
      hang_result(t.phase, seen.silent_ms, t.watch.hang_explanation(seen), worker.stderr_tail().text()));
  return true;
}

}  // namespace convprobe
