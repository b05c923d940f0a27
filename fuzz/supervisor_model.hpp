// What the supervisor does with each message a worker sends, for the protocol targets: the same calls, in
// the same order, inside the same try/catch boundaries as src/supervisor/device_slot.cpp (handle_hello),
// src/supervisor/supervised_executor.cpp (candidates), src/supervisor/active_worker.cpp (the message loop)
// and src/supervisor/trial_watch.cpp (on_heartbeat, through protocol::read_heartbeat). An exception the
// supervisor would not catch escapes take() and ends the fuzzer, as it would end a sweep; UB in a conversion
// is UBSan's to report. Not modelled: the check that a heartbeat's or result's "seq" is the running trial's
// (a worker's own messages pass it), and the watchdog arithmetic after a heartbeat. Keep this in step with
// those files.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "convprobe/trial.hpp"
#include "core/json_io.hpp"
#include "worker/protocol.hpp"

namespace convprobe::fuzz {

class SupervisorModel {
 public:
  /// False when the supervisor would drop the worker (a protocol error): nothing after it is read.
  bool take(const nlohmann::json& message) {
    namespace protocol = convprobe::protocol;
    const std::string type = protocol::message_type(message);
    if (type == protocol::kHello) return hello(message);
    if (!ready_) return false;
    const auto seq = integer_of<uint64_t>(message.value("seq", nlohmann::json(0)));
    if (!seq) return false;
    if (type == protocol::kHeartbeat || type == protocol::kResult) {
      try {
        if (type == protocol::kHeartbeat) {
          (void)protocol::read_heartbeat(message);
        } else {
          const TrialResult result = trial_result_from_json(message.at("result"));
          (void)result;
        }
      } catch (const std::exception&) {
        return false;  // "malformed 'heartbeat'": CRASH for the trial
      }
      return true;
    }
    if (type == protocol::kCandidates || type == protocol::kError) {
      answer(message);
      return true;
    }
    return false;  // "unexpected message type"
  }

 private:
  bool hello(const nlohmann::json& message) {
    if (ready_) return false;  // "a second hello"
    try {
      if (integer_of<int>(message.at("protocol")) != protocol::kVersion) return false;
      const BackendInfo info = backend_info_from_json(message.at("info"));
      (void)info;
    } catch (const std::exception&) {
      return false;  // "bad hello"
    }
    ready_ = true;
    return true;
  }

  /// SupervisedExecutor::candidates() with this message as the answer: it throws to its caller (the command
  /// reports the error) for an error answer or a malformed list; that is its contract, not a crash.
  static void answer(const nlohmann::json& message) {
    try {
      if (protocol::message_type(message) == protocol::kError) {
        throw std::runtime_error(message.value("message", std::string("candidate enumeration failed")));
      }
      for (const auto& c : message.at("candidates")) (void)candidate_from_json(c);
    } catch (const std::exception&) {
    }
  }

  bool ready_ = false;
};

}  // namespace convprobe::fuzz
