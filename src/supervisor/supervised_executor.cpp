// Worker lifecycle of the supervised executor: spawning, hello, warm standby, promotion, losses; and the two
// request/answer calls (info, candidates). The trial loop is in supervised_run.cpp.
#include "supervisor/supervised_executor.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "core/json_io.hpp"
#include "exec/plugin_loader.hpp"
#include "supervisor/exit_status.hpp"
#include "exec/backend_registry.hpp"
#include "worker/worker_main.hpp"
#include "supervisor/worker_verdicts.hpp"

namespace convprobe {

namespace {

/// Workers lost before their hello, in a row, before the executor gives up on the device.
constexpr int kMaxStartupFailures = 3;
/// How long idle workers get to exit on their own when the executor ends.
constexpr auto kShutdownGrace = std::chrono::milliseconds(300);

/// Workers are the convprobe binary in worker mode. A program that is not convprobe (a test, a benchmark)
/// must not re-execute itself as a worker: it would not understand `worker` and, being a test, might start
/// workers of its own. It gets the convprobe next to it instead.
std::string default_worker_executable() {
  const std::filesystem::path self = self_executable();
  if (self.filename() == "convprobe") return self.string();
  const auto sibling = self.parent_path() / "convprobe";
  std::error_code ec;
  if (std::filesystem::is_regular_file(sibling, ec)) return sibling.string();
  throw std::runtime_error("no convprobe binary next to " + self.string() +
                           " to run as a worker (set ExecutorOptions::worker_executable)");
}

}  // namespace

SupervisedExecutor::SupervisedExecutor(ExecutorOptions options) : options_(std::move(options)) {
  limits_.floor_ms = options_.timeout_floor_ms;
  limits_.cap_ms = options_.timeout_cap_ms;
  if (options_.devices.empty()) options_.devices = {0};
  if (options_.worker_executable.empty()) options_.worker_executable = default_worker_executable();
  for (int d : options_.devices) {
    DeviceSlot slot;
    slot.device = d;
    slot.device_label = fmt::format("{}:{}", options_.backend, d);
    slots_.push_back(std::move(slot));
  }
}

SupervisedExecutor::~SupervisedExecutor() { set_.shutdown(kShutdownGrace); }

void SupervisedExecutor::log(SupervisorEvent::Kind kind, const DeviceSlot& slot, int64_t pid, int64_t request,
                             int attempt, Verdict verdict) {
  events_.push_back(SupervisorEvent{kind, Clock::now(), slot.device, pid, request, attempt, verdict});
}

SupervisedExecutor::SlotWorker SupervisedExecutor::spawn_worker(DeviceSlot& slot) {
  check_startup_failures(slot);
  WorkerCommand command;
  command.executable = options_.worker_executable;
  command.args = {"worker",
                  "--backend",
                  options_.backend,
                  "--device",
                  std::to_string(slot.device),
                  "--fd-in",
                  std::to_string(WorkerProcess::kChildRequestFd),
                  "--fd-out",
                  std::to_string(WorkerProcess::kChildResponseFd)};
  command.env = worker_environment(options_.backend, options_.env);
  command.env[kSupervisorPidEnv] = std::to_string(getpid());
  std::string err;
  auto process = WorkerProcess::spawn(command, &err);
  if (!process) throw std::runtime_error(err);
  SlotWorker w;
  w.process = set_.add(std::move(process));
  log(SupervisorEvent::Kind::spawned, slot, w.process->pid());
  return w;
}

void SupervisedExecutor::check_startup_failures(const DeviceSlot& slot) const {
  if (slot.startup_failures < kMaxStartupFailures) return;
  throw std::runtime_error(
      fmt::format("{} workers for backend '{}' on device {} in a row ended before they were "
                  "ready; the last: {}",
                  slot.startup_failures, options_.backend, slot.device, slot.last_startup_error));
}

void SupervisedExecutor::ensure_workers(DeviceSlot& slot, bool want_standby) {
  if (slot.active.process == nullptr) {
    if (slot.standby.process != nullptr) {
      promote_standby(slot);
    } else {
      slot.active = spawn_worker(slot);
    }
  }
  // The standby is started now and says hello while the active worker is busy: it never blocks the loop.
  if (want_standby && slot.standby.process == nullptr) slot.standby = spawn_worker(slot);
}

void SupervisedExecutor::promote_standby(DeviceSlot& slot) {
  slot.active = slot.standby;
  slot.standby = SlotWorker{};
  log(SupervisorEvent::Kind::promoted, slot, slot.active.process->pid());
}

void SupervisedExecutor::lose_worker(DeviceSlot& slot, SlotWorker& worker, bool before_hello,
                                     const std::string& why) {
  if (worker.process == nullptr) return;
  log(SupervisorEvent::Kind::worker_lost, slot, worker.process->pid());
  set_.retire(worker.process);
  worker = SlotWorker{};
  slot.last_startup_error = why;
  if (before_hello) ++slot.startup_failures;
}

bool SupervisedExecutor::handle_hello(DeviceSlot& slot, SlotWorker& worker, const nlohmann::json& hello,
                                      std::string* err) {
  if (worker.ready) {
    *err = "a second hello";
    return false;
  }
  try {
    const int version = hello.at("protocol").get<int>();
    if (version != protocol::kVersion) {
      *err = fmt::format("worker speaks protocol {}, supervisor {}", version, protocol::kVersion);
      return false;
    }
    BackendInfo info = backend_info_from_json(hello.at("info"));
    if (!info_) info_ = std::move(info);
  } catch (const std::exception& e) {
    *err = std::string("bad hello: ") + e.what();
    return false;
  }
  worker.ready = true;
  slot.startup_failures = 0;
  log(SupervisorEvent::Kind::ready, slot, worker.process->pid());
  return true;
}

void SupervisedExecutor::service_standby(DeviceSlot& slot) {
  SlotWorker& w = slot.standby;
  if (w.process == nullptr) return;
  nlohmann::json message;
  std::string err;
  for (;;) {
    const auto status = w.process->next_message(&message, &err);
    if (status == protocol::FrameDecoder::Status::need_more) break;
    if (status == protocol::FrameDecoder::Status::message &&
        protocol::message_type(message) == protocol::kHello && handle_hello(slot, w, message, &err)) {
      continue;
    }
    if (status == protocol::FrameDecoder::Status::message && err.empty()) {
      err = "unexpected '" + protocol::message_type(message) + "' from a standby worker";
    }
    lose_worker(slot, w, !w.ready,
                with_stderr_tail("protocol error: " + err, w.process->stderr_tail().text()));
    return;
  }
  if (w.process->response_closed() || w.process->reaped()) {
    if (!w.process->reaped()) return;  // the loop re-checks in a moment, to report the real exit status
    w.process->read_stderr();
    lose_worker(slot, w, !w.ready,
                with_stderr_tail("standby worker ended: " + describe_wait_status(w.process->wait_status()),
                                 w.process->stderr_tail().text()));
    return;
  }
  if (!w.ready && Clock::now() - w.process->started() > kStartupTimeout) {
    lose_worker(slot, w, true, "no hello within 60 s");
  }
}

void SupervisedExecutor::drop_all_workers() {
  set_.clear();
  for (auto& slot : slots_) {
    slot.active = SlotWorker{};
    slot.standby = SlotWorker{};
    slot.trial.reset();
    slot.queue.clear();
  }
}

void SupervisedExecutor::interrupted() {
  const int signo = SignalScope::interrupt_signal();
  drop_all_workers();
  throw Interrupted(signo, "interrupted by " + signal_name(signo) + "; every worker was killed");
}

void SupervisedExecutor::wait_until_ready(DeviceSlot& slot) {
  for (;;) {
    ensure_workers(slot, false);
    service_active(slot, nullptr);
    if (slot.active.process != nullptr && slot.active.ready) return;
    if (slot.active.process == nullptr) continue;  // lost before hello: spawn another (bounded by the count)
    if (set_.wait(slot.active.process->started() + kStartupTimeout) == WorkerSet::WaitResult::interrupted) {
      interrupted();
    }
  }
}

nlohmann::json SupervisedExecutor::request_and_wait(DeviceSlot& slot, nlohmann::json request) {
  wait_until_ready(slot);
  if (info_ && !info_->available) {
    throw std::runtime_error(fmt::format("backend '{}' is unavailable: {}", options_.backend, info_->reason));
  }
  const uint64_t seq = ++next_seq_;
  request["seq"] = seq;
  std::string err;
  if (!slot.active.process->send(request, &err)) {
    lose_worker(slot, slot.active, false, err);
    throw std::runtime_error("cannot reach the worker: " + err);
  }
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double, std::milli>(limits_.cap_ms));
  slot.answer.reset();
  for (;;) {
    service_active(slot, nullptr);
    if (slot.answer && slot.answer->seq == seq) {
      nlohmann::json answer = std::move(slot.answer->message);
      slot.answer.reset();
      return answer;
    }
    if (slot.active.process == nullptr) {
      throw std::runtime_error("the worker ended while answering: " + slot.last_startup_error);
    }
    if (Clock::now() >= deadline) {
      lose_worker(slot, slot.active, false, "no answer");
      throw std::runtime_error(fmt::format("the worker did not answer within {:.0f} ms", limits_.cap_ms));
    }
    if (set_.wait(deadline) == WorkerSet::WaitResult::interrupted) interrupted();
  }
}

BackendInfo SupervisedExecutor::info() {
  SignalScope signals;
  try {
    wait_until_ready(slots_.front());
  } catch (const std::runtime_error& e) {
    BackendInfo info;
    info.name = options_.backend;
    info.available = false;
    info.reason = e.what();
    return info;
  }
  return *info_;
}

std::vector<Candidate> SupervisedExecutor::candidates(const Problem& problem, const TrialOptions& options) {
  SignalScope signals;
  const nlohmann::json answer =
      request_and_wait(slots_.front(), nlohmann::json{{"type", protocol::kCandidates},
                                                      {"problem", to_string(problem)},
                                                      {"options", to_json(options)}});
  if (protocol::message_type(answer) == protocol::kError) {
    throw std::runtime_error(answer.value("message", std::string("candidate enumeration failed")));
  }
  std::vector<Candidate> out;
  try {
    for (const auto& c : answer.at("candidates")) out.push_back(candidate_from_json(c));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("malformed candidate list from the worker: ") + e.what());
  }
  return out;
}

}  // namespace convprobe
