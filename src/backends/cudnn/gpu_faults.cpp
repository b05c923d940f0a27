#include "gpu_faults.hpp"

#include <chrono>

#include "core/exception_verdict.hpp"
#include "cuda_status.hpp"
#include "device_buffer.hpp"
#include "device_faults.hpp"
#include "gpu_kernels.hpp"

namespace convprobe::cudnn {

std::vector<Candidate> gpu_fault_candidates() {
  std::vector<Candidate> out;
  for (const DeviceFault& fault : kDeviceFaults) {
    Candidate c;
    c.id = fault.id;
    c.family = "fault";
    c.attrs = {{"api", "fault"}};
    out.push_back(c);
  }
  return out;
}

namespace {

[[noreturn]] void inject(const Candidate& c, GpuSession& session) {
  if (c.id == "fault.gpu_hang") {
    check_cuda(gpu::launch_never_ending(session.stream), "launching the never-ending kernel");
    sync_and_check("run");  // never returns: the supervisor's watchdog ends this worker
    throw TrialError(Verdict::failed, "the never-ending kernel ended");
  }
  if (c.id == "fault.gpu_illegal_address") {
    check_cuda(gpu::launch_illegal_address(session.stream), "launching the illegal-address kernel");
    sync_and_check("run");
    throw TrialError(Verdict::failed, "the illegal-address kernel raised no error");
  }
  if (c.id == "fault.gpu_oom") {
    size_t free_bytes = 0, total = 0;
    check_cuda(cudaMemGetInfo(&free_bytes, &total), "cudaMemGetInfo");
    DeviceBuffer too_big(free_bytes + (size_t{1} << 30), "fault.gpu_oom (free memory + 1 GiB)");
    throw TrialError(Verdict::failed, "allocating more than the free memory succeeded");
  }
  throw TrialError(Verdict::failed, "unknown fault candidate " + c.id);
}

}  // namespace

TrialResult run_gpu_fault(const Candidate& c, TrialContext& context, GpuSession& session) {
  const auto start = std::chrono::steady_clock::now();
  TrialResult r;
  r.device = "cuda:" + std::to_string(session.device);
  try {
    r.phase = Phase::run;
    context.enter_phase(Phase::run, 1);
    inject(c, session);
  } catch (const StickyCudaError& e) {
    lose_context(&r, e.what(), session);
  } catch (...) {
    verdict_from_exception(&r);
  }
  r.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace convprobe::cudnn
