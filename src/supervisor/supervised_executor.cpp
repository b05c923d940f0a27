// The supervised executor outside a run: its devices, and the two request/answer calls (info, candidates)
// through the first device's active worker. The trial loop is in supervised_run.cpp, the active worker's
// messages in active_worker.cpp, the watchdog in trial_watch.cpp, the workers' lives in device_slot.cpp.
#include "supervisor/supervised_executor.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <stdexcept>

#include "core/json_io.hpp"
#include "exec/plugin_loader.hpp"
#include "supervisor/exit_status.hpp"

namespace convprobe {

namespace {

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
  const DeviceSlot::Shared shared{&options_, &set_, &log_, &info_};
  for (int d : options_.devices) {
    devices_.push_back(
        Device{DeviceSlot(d, shared), {}, {}, {}, fmt::format("{}:{}", options_.backend, d), {}});
  }
}

SupervisedExecutor::~SupervisedExecutor() { set_.shutdown(kShutdownGrace); }

void SupervisedExecutor::drop_all_workers() {
  set_.clear();
  for (auto& device : devices_) {
    device.slot.forget_workers();
    device.trial.reset();
    device.queue.clear();
  }
}

void SupervisedExecutor::interrupted() {
  const int signo = SignalScope::interrupt_signal();
  drop_all_workers();
  throw Interrupted(signo, "interrupted by " + signal_name(signo) + "; every worker was killed");
}

void SupervisedExecutor::throw_if_unavailable() const {
  if (info_ && !info_->available) {
    throw std::runtime_error(fmt::format("backend '{}' is unavailable: {}", options_.backend, info_->reason));
  }
}

void SupervisedExecutor::wait_until_ready(Device& device) {
  DeviceSlot& slot = device.slot;
  for (;;) {
    slot.ensure_workers(false);
    service_active(device, nullptr);
    if (slot.active_ready()) return;
    if (!slot.has_active()) continue;  // lost before hello: spawn another (bounded by the count)
    const auto hello_by = slot.active().process->started() + DeviceSlot::kStartupTimeout;
    if (set_.wait(hello_by) == WorkerSet::WaitResult::interrupted) interrupted();
  }
}

nlohmann::json SupervisedExecutor::request_and_wait(Device& device, nlohmann::json request) {
  wait_until_ready(device);
  throw_if_unavailable();
  DeviceSlot& slot = device.slot;
  const uint64_t seq = ++next_seq_;
  request["seq"] = seq;
  std::string err;
  if (!slot.active().process->send(request, &err)) {
    slot.lose(slot.active(), err);
    throw std::runtime_error("cannot reach the worker: " + err);
  }
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double, std::milli>(limits_.cap_ms));
  device.answer.reset();
  for (;;) {
    service_active(device, nullptr);
    if (device.answer && device.answer->seq == seq) {
      nlohmann::json answer = std::move(device.answer->message);
      device.answer.reset();
      return answer;
    }
    if (!slot.has_active()) throw std::runtime_error("the worker ended while answering: " + slot.last_loss());
    if (Clock::now() >= deadline) {
      slot.lose(slot.active(), "no answer");
      throw std::runtime_error(fmt::format("the worker did not answer within {:.0f} ms", limits_.cap_ms));
    }
    if (set_.wait(deadline) == WorkerSet::WaitResult::interrupted) interrupted();
  }
}

BackendInfo SupervisedExecutor::info() {
  SignalScope signals;
  try {
    wait_until_ready(devices_.front());
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
      request_and_wait(devices_.front(), nlohmann::json{{"type", protocol::kCandidates},
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
