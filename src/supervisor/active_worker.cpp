// The active worker's side of the trial loop: read its messages (hello, heartbeats, results, answers) and
// turn every way it can end a trial (a protocol error, its death, the watchdog) into exactly one verdict.
#include <fmt/core.h>

#include <stdexcept>

#include "core/json_io.hpp"
#include "supervisor/exit_status.hpp"
#include "supervisor/supervised_executor.hpp"
#include "supervisor/worker_verdicts.hpp"

namespace convprobe {

// Anything malformed ends the worker; a trial in flight becomes CRASH "protocol error: ...".
void SupervisedExecutor::protocol_failure(Device& device, RunState* run, const std::string& error) {
  DeviceSlot::Worker& w = device.slot.active();
  w.process->kill_group();
  w.process->read_stderr();
  const std::string tail = w.process->stderr_tail().text();
  if (device.trial && run != nullptr) {
    fail_trial_worker(device, run, protocol_error_result(device.trial->phase, error, tail));
  } else {
    device.slot.lose(w, with_stderr_tail("protocol error: " + error, tail));
  }
}

bool SupervisedExecutor::on_trial_message(Device& device, RunState* run, const std::string& type, uint64_t seq,
                                          nlohmann::json& message) {
  DeviceSlot::Worker& w = device.slot.active();
  if (!device.trial || run == nullptr || seq != device.trial->seq) {
    protocol_failure(device, run, fmt::format("'{}' for request {} that is not running", type, seq));
    return false;
  }
  try {
    if (type == protocol::kHeartbeat) {
      on_heartbeat(device, message);
      return true;
    }
    TrialResult result = trial_result_from_json(message.at("result"));
    const bool restart = result.restart_worker;
    finish_trial(device, run, std::move(result), false);
    // A sticky device error: the next trial must get a clean context, i.e. the standby.
    if (restart) {
      device.slot.lose(w, "worker retired after a sticky device error");
      return false;
    }
  } catch (const std::exception& e) {
    protocol_failure(device, run, std::string("malformed '") + type + "': " + e.what());
    return false;
  }
  return true;
}

bool SupervisedExecutor::read_active_messages(Device& device, RunState* run) {
  DeviceSlot::Worker& w = device.slot.active();
  nlohmann::json message;
  std::string err;
  for (;;) {
    const auto status = w.process->next_message(&message, &err);
    if (status == protocol::FrameDecoder::Status::need_more) return true;
    if (status == protocol::FrameDecoder::Status::error) {
      protocol_failure(device, run, err);
      return false;
    }
    const std::string type = protocol::message_type(message);
    bool keep_reading = true;
    if (type == protocol::kHello) {
      if (!device.slot.handle_hello(w, message, &err)) {
        protocol_failure(device, run, err);
        keep_reading = false;
      }
    } else if (!w.ready) {
      protocol_failure(device, run, "'" + type + "' before hello");
      keep_reading = false;
    } else if (const auto seq = integer_of<uint64_t>(message.value("seq", nlohmann::json(0))); !seq) {
      protocol_failure(device, run, "'" + type + "' with \"seq\" " + message.at("seq").dump());
      keep_reading = false;
    } else if (type == protocol::kHeartbeat || type == protocol::kResult) {
      keep_reading = on_trial_message(device, run, type, *seq, message);
    } else if (type == protocol::kCandidates || type == protocol::kError) {
      device.answer = Answer{*seq, std::move(message)};
    } else {
      protocol_failure(device, run, "unexpected message type '" + type + "'");
      keep_reading = false;
    }
    if (!keep_reading) return false;
  }
}

void SupervisedExecutor::on_active_end(Device& device, RunState* run) {
  DeviceSlot::Worker& w = device.slot.active();
  w.process->kill_group();  // anything the worker left behind in its group
  w.process->read_stderr();
  const int status = w.process->wait_status();
  const std::string tail = w.process->stderr_tail().text();
  if (device.trial && run != nullptr) {
    fail_trial_worker(device, run, death_result(device.trial->phase, status, tail));
    return;
  }
  device.slot.lose(w, with_stderr_tail("worker ended: " + describe_wait_status(status), tail));
}

void SupervisedExecutor::service_active(Device& device, RunState* run) {
  DeviceSlot::Worker& w = device.slot.active();
  if (w.process == nullptr) return;
  if (!read_active_messages(device, run)) return;
  if (w.process->response_closed() || w.process->reaped()) {
    // Not reaped yet: re-checked in a moment, because the verdict needs the real exit status.
    if (w.process->reaped()) on_active_end(device, run);
    return;
  }
  if (device.trial && run != nullptr && check_deadline(device, run)) return;
  device.slot.check_hello_timeout(w);
}

}  // namespace convprobe
