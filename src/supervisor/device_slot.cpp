// One device's workers: spawning, hello, warm standby, promotion, losses.
#include "supervisor/device_slot.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "core/json_io.hpp"
#include "supervisor/exit_status.hpp"
#include "supervisor/worker_verdicts.hpp"
#include "exec/backend_registry.hpp"
#include "worker/worker_main.hpp"

namespace convprobe {

DeviceSlot::Worker DeviceSlot::spawn() {
  check_startup_failures();
  const ExecutorOptions& options = *shared_.options;
  WorkerCommand command;
  command.executable = options.worker_executable;
  command.args = {"worker",
                  "--backend",
                  options.backend,
                  "--device",
                  std::to_string(device_),
                  "--fd-in",
                  std::to_string(WorkerProcess::kChildRequestFd),
                  "--fd-out",
                  std::to_string(WorkerProcess::kChildResponseFd)};
  command.env = worker_environment(options.backend, options.env);
  command.env[kSupervisorPidEnv] = std::to_string(getpid());
  std::string err;
  auto process = WorkerProcess::spawn(command, &err);
  if (!process) throw std::runtime_error(err);
  Worker w;
  w.process = shared_.workers->add(std::move(process));
  log(SupervisorEvent::Kind::spawned, w.process->pid());
  return w;
}

void DeviceSlot::check_startup_failures() const {
  if (startup_failures_ < kMaxStartupFailures) return;
  throw std::runtime_error(
      fmt::format("{} workers for backend '{}' on device {} in a row ended before they were "
                  "ready; the last: {}",
                  startup_failures_, shared_.options->backend, device_, last_loss_));
}

void DeviceSlot::ensure_workers(bool want_standby) {
  if (active_.process == nullptr) {
    if (standby_.process != nullptr) {
      promote_standby();
    } else {
      active_ = spawn();
    }
  }
  if (want_standby && standby_.process == nullptr) standby_ = spawn();
}

void DeviceSlot::promote_standby() {
  active_ = standby_;
  standby_ = Worker{};
  log(SupervisorEvent::Kind::promoted, active_.process->pid());
}

void DeviceSlot::lose(Worker& worker, const std::string& why) {
  if (worker.process == nullptr) return;
  const bool before_hello = !worker.ready;
  log(SupervisorEvent::Kind::worker_lost, worker.process->pid());
  shared_.workers->retire(worker.process);
  worker = Worker{};
  last_loss_ = why;
  if (before_hello) ++startup_failures_;
}

void DeviceSlot::retire_active() {
  log(SupervisorEvent::Kind::worker_lost, active_.process->pid());
  shared_.workers->retire(active_.process);
  active_ = Worker{};
}

void DeviceSlot::forget_workers() {
  active_ = Worker{};
  standby_ = Worker{};
}

bool DeviceSlot::handle_hello(Worker& worker, const nlohmann::json& hello, std::string* err) {
  if (worker.ready) {
    *err = "a second hello";
    return false;
  }
  try {
    const auto version = integer_of<int>(hello.at("protocol"));
    if (version != protocol::kVersion) {
      *err = fmt::format("worker speaks protocol {}, supervisor {}", hello.at("protocol").dump(),
                         protocol::kVersion);
      return false;
    }
    BackendInfo info = backend_info_from_json(hello.at("info"));
    if (!*shared_.info) *shared_.info = std::move(info);
  } catch (const std::exception& e) {
    *err = std::string("bad hello: ") + e.what();
    return false;
  }
  worker.ready = true;
  startup_failures_ = 0;
  log(SupervisorEvent::Kind::ready, worker.process->pid());
  return true;
}

void DeviceSlot::check_hello_timeout(Worker& worker) {
  if (worker.process != nullptr && !worker.ready &&
      Clock::now() - worker.process->started() > kStartupTimeout)
    lose(worker, "no hello within 60 s");
}

void DeviceSlot::service_standby() {
  Worker& w = standby_;
  if (w.process == nullptr) return;
  nlohmann::json message;
  std::string err;
  for (;;) {
    const auto status = w.process->next_message(&message, &err);
    if (status == protocol::FrameDecoder::Status::need_more) break;
    if (status == protocol::FrameDecoder::Status::message &&
        protocol::message_type(message) == protocol::kHello && handle_hello(w, message, &err)) {
      continue;
    }
    if (status == protocol::FrameDecoder::Status::message && err.empty()) {
      err = "unexpected '" + protocol::message_type(message) + "' from a standby worker";
    }
    lose(w, with_stderr_tail("protocol error: " + err, w.process->stderr_tail().text()));
    return;
  }
  if (w.process->response_closed() || w.process->reaped()) {
    if (!w.process->reaped()) return;  // the loop re-checks in a moment, to report the real exit status
    w.process->read_stderr();
    lose(w, with_stderr_tail("standby worker ended: " + describe_wait_status(w.process->wait_status()),
                             w.process->stderr_tail().text()));
    return;
  }
  check_hello_timeout(w);
}

DeviceSlot::Clock::time_point DeviceSlot::hello_deadline(Clock::time_point later) const {
  for (const Worker* w : {&active_, &standby_}) {
    if (w->process != nullptr && !w->ready) later = std::min(later, w->process->started() + kStartupTimeout);
  }
  return later;
}

}  // namespace convprobe
