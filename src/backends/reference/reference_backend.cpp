// The `reference` backend: the fp64 direct convolution run as a candidate like any other. Its output is the
// reference rounded to the problem's type, so it must PASS every problem; it is the end-to-end check of the
// trial machinery (inputs, poison, verification, timing) and the ground truth the GPU references are tested
// against.
#include <fmt/format.h>

#include <memory>
#include <vector>

#include "convprobe/backend.hpp"
#include "core/host_trial.hpp"
#include "core/parallel.hpp"
#include "core/reference_conv.hpp"

namespace convprobe {

namespace {

constexpr const char* kCandidateId = "reference.direct";

HostKernel make_reference_kernel(const Problem& p) {
  // The kernel reads the runner's tensors in place (load keeps a pointer) and keeps its fp64 result until
  // store.
  struct State {
    const ConvTensors* inputs = nullptr;
    std::vector<double> result;
  };
  auto state = std::make_shared<State>();
  HostKernel k;
  k.load = [state](const ConvTensors& t) { state->inputs = &t; };
  k.run = [state, p](int) {
    reference_full(p, *state->inputs, &state->result);
    return -1.0;  // let the runner time it
  };
  k.store = [state, p](ConvTensors& t) {
    HostTensor& out = t.get(output_role(p.dir));
    for (int64_t i = 0; i < out.elems(); ++i) out.set(i, state->result[static_cast<size_t>(i)]);
  };
  return k;
}

class ReferenceBackend final : public Backend {
 public:
  [[nodiscard]] std::string name() const override { return "reference"; }

  BackendInfo info() override {
    BackendInfo b;
    b.name = name();
    b.version = "convprobe fp64 reference";
    b.available = true;
    DeviceInfo d;
    d.index = 0;
    d.name = fmt::format("cpu ({} threads)", detail::hardware_threads());
    d.details = "direct convolution, fp64 accumulation, std::thread";
    b.devices.push_back(d);
    return b;
  }

  std::vector<Candidate> candidates(const Problem& /*problem*/, const TrialOptions& /*options*/) override {
    Candidate c;
    c.id = kCandidateId;
    c.family = "reference";
    return {c};
  }

  TrialResult run_trial(const Problem& problem, const Candidate& candidate, const TrialOptions& options,
                        TrialContext& context) override {
    if (candidate.id != kCandidateId) {
      TrialResult r;
      r.verdict = Verdict::unsupported;
      r.detail =
          fmt::format("the reference backend has no candidate '{}' (only '{}')", candidate.id, kCandidateId);
      r.device = "cpu";
      return r;
    }
    return run_host_trial(
        problem, candidate, options, context, cache_,
        [](const Problem& p, const Candidate&, const TrialOptions&) { return make_reference_kernel(p); });
  }

 private:
  HostProblemCache cache_;  // inputs and reference of the current problem
};

}  // namespace

}  // namespace convprobe

CONVPROBE_DEFINE_BACKEND(convprobe::ReferenceBackend)
