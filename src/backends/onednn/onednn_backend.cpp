// The oneDNN backend plugin (libconvprobe_backend_onednn.so): every convolution implementation oneDNN offers
// on the CPU, run through the shared CPU trial runner. Enumeration lives in onednn_candidates.cpp, the
// primitive and its buffers in onednn_kernel.cpp.
#include <omp.h>

#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "backends/onednn/onednn_candidates.hpp"
#include "backends/onednn/onednn_desc.hpp"
#include "backends/onednn/onednn_kernel.hpp"
#include "convprobe/backend.hpp"
#include "core/host_trial.hpp"

namespace convprobe::onednn {

namespace {

std::string isa_name(dnnl::cpu_isa isa) {
  using dnnl::cpu_isa;
  switch (isa) {
    case cpu_isa::all:
      return "all";
    case cpu_isa::sse41:
      return "sse41";
    case cpu_isa::avx:
      return "avx";
    case cpu_isa::avx2:
      return "avx2";
    case cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case cpu_isa::avx512_mic:
      return "avx512_mic";
    case cpu_isa::avx512_mic_4ops:
      return "avx512_mic_4ops";
    case cpu_isa::avx512_core:
      return "avx512_core";
    case cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
  }
  return "isa " + std::to_string(static_cast<int>(isa));
}

std::string library_version() {
  const dnnl_version_t* v = dnnl_version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch);
}

class OnednnBackend final : public Backend {
 public:
  OnednnBackend() {
    // oneDNN 2.6's primitive cache and its implementation iterator do not mix: after a cache hit the
    // iterator restarts its walk, so a later primitive can be cached under another implementation's key and
    // handed back for a primitive descriptor whose memory formats differ (measured: heap corruption after
    // a few trials of one problem). Off for the whole (worker) process; every setup then compiles afresh,
    // which is also what a trial should measure.
    dnnl::set_primitive_cache_capacity(0);
  }

  [[nodiscard]] std::string name() const override { return "onednn"; }

  BackendInfo info() override {
    BackendInfo info;
    info.name = name();
    try {
      info.version = library_version();
      const std::string isa = isa_name(dnnl::get_effective_cpu_isa());
      // oneDNN's CPU runtime is OpenMP in Debian's build: its thread count is OpenMP's.
      const int threads = omp_get_max_threads();
      DeviceInfo cpu;
      cpu.index = 0;
      cpu.name = "cpu (" + isa + ", " + std::to_string(threads) + " threads)";
      cpu.details = info.version + " (git " + dnnl_version()->hash + "), effective ISA " + isa + ", " +
                    std::to_string(threads) + " OpenMP threads";
      info.devices.push_back(cpu);
      info.notes.emplace_back("no tf32: oneDNN 2.6 has no TF32 math mode");
      engine();  // creating the engine is the real availability check
      info.available = true;
    } catch (const std::exception& e) {
      info.available = false;
      info.reason = std::string("oneDNN CPU engine: ") + e.what();
    }
    return info;
  }

  std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& /*options*/) override {
    std::vector<Candidate> out;
    for (const ImplRef& ref : list_impls(problem, engine())) out.push_back(to_candidate(ref));
    return out;
  }

  TrialResult run_trial(const Problem& problem, const Candidate& candidate, const TrialOptions& options,
                        TrialContext& context) override {
    const dnnl::engine& eng = engine();
    const HostSetup setup = [&](const Problem& p, const Candidate& c, const TrialOptions& o) {
      return make_kernel(p, c, o, eng, *stream_);
    };
    TrialResult r = run_host_trial(problem, candidate, options, context, cache_, setup);
    if (r.device.empty()) r.device = "cpu";
    return r;
  }

  [[nodiscard]] std::vector<std::string> relevant_env_prefixes() const override {
    return {"ONEDNN_", "DNNL_", "OMP_"};
  }

 private:
  /// One engine and stream for the backend's life; created on first use so a plugin that is only asked for
  /// info() does little work.
  const dnnl::engine& engine() {
    if (!engine_) {
      engine_.emplace(dnnl::engine::kind::cpu, 0);
      stream_.emplace(*engine_);
    }
    return *engine_;
  }

  std::optional<dnnl::engine> engine_;
  std::optional<dnnl::stream> stream_;
  HostProblemCache cache_;
};

}  // namespace

}  // namespace convprobe::onednn

CONVPROBE_DEFINE_BACKEND(convprobe::onednn::OnednnBackend)
