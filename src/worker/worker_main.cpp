#include "worker/worker_main.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "core/json_io.hpp"
#include "exec/guarded_trial.hpp"
#include "exec/plugin_loader.hpp"
#include "worker/protocol.hpp"

namespace convprobe {

namespace {

using nlohmann::json;

/// A write to the supervisor failed: it is gone, and nobody is left to read anything. Exit quietly.
[[noreturn]] void supervisor_gone(const std::string& err) {
  std::fprintf(stderr, "convprobe worker: %s; exiting\n", err.c_str());
  std::_Exit(1);
}

void send_or_exit(int fd, const json& message) {
  std::string err;
  if (!protocol::write_frame(fd, message, &err)) supervisor_gone(err);
}

class PipeContext final : public TrialContext {
 public:
  PipeContext(int fd, uint64_t seq) : fd_(fd), seq_(seq) {}
  void enter_phase(Phase phase, double expected_ms) override {
    phase_ = phase;
    send_or_exit(fd_, json{{"type", protocol::kHeartbeat},
                           {"seq", seq_},
                           {"phase", std::string(to_string(phase))},
                           {"expected_ms", expected_ms}});
  }
  [[nodiscard]] int protocol_fd() const override { return fd_; }
  [[nodiscard]] Phase phase() const { return phase_; }

 private:
  int fd_;
  uint64_t seq_;
  Phase phase_ = Phase::setup;
};

bool parse_request_problem(const json& request, Problem* problem, std::string* err) {
  auto it = request.find("problem");
  if (it == request.end() || !it->is_string()) {
    *err = "request has no string \"problem\"";
    return false;
  }
  return parse_problem(it->get<std::string>(), problem, err);
}

json answer_candidates(Backend& backend, const json& request, uint64_t seq) {
  Problem problem;
  std::string err;
  if (!parse_request_problem(request, &problem, &err)) {
    return json{{"type", protocol::kError}, {"seq", seq}, {"message", err}};
  }
  try {
    json list = json::array();
    for (const auto& c :
         backend.candidates(problem, trial_options_from_json(request.value("options", json::object())))) {
      list.push_back(to_json(c));
    }
    return json{{"type", protocol::kCandidates}, {"seq", seq}, {"candidates", list}};
  } catch (const std::exception& e) {
    return json{{"type", protocol::kError}, {"seq", seq}, {"message", e.what()}};
  }
}

enum class Next { serve, exit_ok, exit_bad };

/// Answers one request. `loaded` is null when the plugin could not load (every request then gets the reason).
Next serve_request(LoadedBackend* loaded, const BackendInfo& info, const json& request,
                   const WorkerMainOptions& options) {
  const std::string type = protocol::message_type(request);
  const uint64_t seq = request.value("seq", uint64_t{0});
  if (loaded == nullptr) {
    send_or_exit(options.fd_out, json{{"type", protocol::kError}, {"seq", seq}, {"message", info.reason}});
    return Next::serve;
  }
  if (type == protocol::kCandidates) {
    send_or_exit(options.fd_out, answer_candidates(loaded->get(), request, seq));
    return Next::serve;
  }
  if (type != protocol::kTrial) {
    std::fprintf(stderr, "convprobe worker: unknown request type '%s'\n", type.c_str());
    return Next::exit_bad;
  }
  Problem problem;
  std::string err;
  if (!parse_request_problem(request, &problem, &err) || !request.contains("candidate")) {
    std::fprintf(stderr, "convprobe worker: bad trial request: %s\n",
                 err.empty() ? "no candidate" : err.c_str());
    return Next::exit_bad;
  }
  TrialOptions trial_options = trial_options_from_json(request.value("options", json::object()));
  trial_options.device = options.device;
  PipeContext context(options.fd_out, seq);
  const TrialResult result =
      run_trial_guarded(loaded->get(), problem, candidate_from_json(request.at("candidate")), trial_options,
                        context, [&context] { return context.phase(); });
  send_or_exit(options.fd_out, json{{"type", protocol::kResult}, {"seq", seq}, {"result", to_json(result)}});
  // A sticky device error: this context is unusable; the supervisor promotes its standby.
  return result.restart_worker ? Next::exit_ok : Next::serve;
}

}  // namespace

int run_worker(const WorkerMainOptions& options) {
  // Die with the supervisor, whatever this worker is doing (a hung kernel included).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (const char* sup = std::getenv(kSupervisorPidEnv); sup != nullptr && std::atol(sup) != getppid())
    return 1;
  // Vendor libraries print to stdout; stdout must never mix with anything the supervisor reads.
  dup2(STDERR_FILENO, STDOUT_FILENO);
  for (int fd : {options.fd_in, options.fd_out}) {
    if (fcntl(fd, F_GETFD) < 0) {
      std::fprintf(stderr,
                   "convprobe worker: descriptor %d is not open; the worker is started by the supervisor, "
                   "not by hand (see docs/supervisor.md)\n",
                   fd);
      return 2;
    }
  }

  std::string reason;
  auto loaded = load_backend(options.backend, &reason);
  BackendInfo info;
  if (loaded) {
    info = loaded->get().info();
    if (info.available) {
      try {
        loaded->get().prepare(options.device);
      } catch (const std::exception& e) {
        info.notes.push_back(std::string("device not prepared ahead of the first trial: ") + e.what());
      }
    }
  } else {
    info.name = options.backend;
    info.available = false;
    info.reason = reason;
  }
  send_or_exit(options.fd_out, json{{"type", protocol::kHello},
                                    {"protocol", protocol::kVersion},
                                    {"version", CONVPROBE_VERSION},
                                    {"pid", static_cast<int64_t>(getpid())},
                                    {"device", options.device},
                                    {"info", to_json(info)}});

  for (;;) {
    json request;
    std::string err;
    if (!protocol::read_frame(options.fd_in, &request, &err)) {
      if (err.empty()) return 0;  // the supervisor closed the pipe: done
      std::fprintf(stderr, "convprobe worker: bad request: %s\n", err.c_str());
      return 2;
    }
    try {
      const Next next = serve_request(loaded.get(), info, request, options);
      if (next != Next::serve) return next == Next::exit_ok ? 0 : 2;
    } catch (const nlohmann::json::exception& e) {
      // A request the supervisor should never have sent: say so where the supervisor will show it.
      std::fprintf(stderr, "convprobe worker: malformed request: %s\n", e.what());
      return 2;
    }
  }
}

}  // namespace convprobe
