// The fault backend: candidates that misbehave on purpose, so the supervisor's every verdict path can be
// proven on any machine (tests, `convprobe selftest`). Plain CPU code, always built. The kinds and their
// expected verdicts are in fault_spec.hpp; docs/supervisor.md lists them.
#include <fmt/core.h>

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <system_error>

#include "backends/fault/fault_injection.hpp"
#include "backends/fault/fault_spec.hpp"
#include "convprobe/backend.hpp"
#include "core/host_trial.hpp"

namespace convprobe {

namespace {

/// Virtual devices: every index is the same CPU, so tests can stand the backend in for several devices.
/// Two by default; CONVPROBE_FAULT_DEVICES=N (1..64) for more. A value that is not such a number is ignored,
/// and `*note` says so (the backend's info carries it to `convprobe devices`).
constexpr int kDefaultVirtualDevices = 2;
constexpr int kMaxVirtualDevices = 64;
int virtual_devices(std::string* note) {
  const char* env = std::getenv("CONVPROBE_FAULT_DEVICES");
  if (env == nullptr) return kDefaultVirtualDevices;
  const std::string_view text(env);
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size() && n >= 1 && n <= kMaxVirtualDevices) return n;
  *note = fmt::format("CONVPROBE_FAULT_DEVICES='{}' ignored: expected a whole number from 1 to {}; using {}",
                      text, kMaxVirtualDevices, kDefaultVirtualDevices);
  return kDefaultVirtualDevices;
}
/// Speed assumed when announcing the fp64 reference's cost to the watchdog: slow on purpose.
constexpr double kPessimisticMacsPerMs = 1e5;

class FaultBackend final : public Backend {
 public:
  [[nodiscard]] std::string name() const override { return "fault"; }

  BackendInfo info() override {
    BackendInfo info;
    info.name = "fault";
    info.version = std::string("convprobe ") + CONVPROBE_VERSION;
    info.available = true;
    std::string devices_note;
    for (int i = 0, n = virtual_devices(&devices_note); i < n; ++i) {
      info.devices.push_back(
          DeviceInfo{i, fmt::format("fault:{} (cpu)", i), "virtual device for fault injection"});
    }
    info.notes.push_back("every device index is the same CPU");
    if (!devices_note.empty()) info.notes.push_back(devices_note);
    return info;
  }

  std::vector<Candidate> candidates(const Problem& /*problem*/, const TrialOptions& /*options*/) override {
    std::vector<Candidate> out;
    for (const auto& id : fault::default_ids()) out.push_back(Candidate{id, "fault", "", {}});
    return out;
  }

  TrialResult run_trial(const Problem& problem, const Candidate& candidate, const TrialOptions& options,
                        TrialContext& context) override {
    // Any well-formed id runs, listed or not (fault.hang@hw>100 included).
    fault::Spec spec;
    std::string err;
    if (!fault::parse_id(candidate.id, &spec, &err)) {
      TrialResult r;
      r.verdict = Verdict::failed;
      r.detail = err;
      return r;
    }
    const fault::Kind kind = fault::fires(spec, problem) ? spec.kind : fault::Kind::ok;
    if (fault::info(kind).ends_worker) {
      context.enter_phase(Phase::setup);
      if (kind == fault::Kind::garbage && context.protocol_fd() < 0) {
        TrialResult r;
        r.verdict = Verdict::failed;
        r.detail = "no protocol pipe: fault.garbage needs a worker (it runs in-process here)";
        return r;
      }
      context.enter_phase(Phase::run);
      fault::end_worker(kind, context.protocol_fd());
      // Only garbage returns: the supervisor has already dropped this worker for the junk.
      TrialResult r;
      r.verdict = Verdict::failed;
      r.phase = Phase::run;
      r.detail = "garbage written to the protocol pipe";
      return r;
    }
    const HostSetup setup = [this, kind, &context](const Problem& p, const Candidate& /*c*/,
                                                   const TrialOptions& o) {
      if (kind != fault::Kind::error && kind != fault::Kind::oom) {
        // The inputs, the reference and the correct output are built here, once per problem, with their
        // cost announced to the watchdog before they start, as the runner announces its own reference
        // (0.1 GMAC/s, pessimistic).
        context.enter_phase(Phase::setup, p.flops() / 2 / kPessimisticMacsPerMs);
        const ConvTensors& tensors = cache_.get(p, o, o.verify).tensors;
        outputs_.get(p, tensors, o.seed);
      }
      return fault::make_kernel(kind, p, o, outputs_);
    };
    TrialResult result = run_host_trial(problem, candidate, options, context, cache_, setup);
    result.device =
        fmt::format("fault:{}", options.device);  // virtual devices, named so tests can tell them apart
    return result;
  }

 private:
  HostProblemCache cache_;
  fault::CorrectOutputCache outputs_;
};

}  // namespace

}  // namespace convprobe

CONVPROBE_DEFINE_BACKEND(convprobe::FaultBackend)
