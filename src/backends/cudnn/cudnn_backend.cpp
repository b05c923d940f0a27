#include "cudnn_backend.hpp"

#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cuda_status.hpp"
#include "cudnn_options.hpp"
#include "cudnn_trial.hpp"
#include "device_faults.hpp"
#include "engine_candidates.hpp"
#include "gpu_faults.hpp"
#include "legacy_conv.hpp"
#include "note_list.hpp"

namespace convprobe::cudnn {
namespace {

// The kernel module's version ("580.159") from /proc ("NVRM version: NVIDIA UNIX [Open ]Kernel Module for
// x86_64  580.159  ..."): the first dotted number after "Module". Empty when the file is absent.
std::string kernel_driver_version() {
  std::ifstream in("/proc/driver/nvidia/version");
  std::string line;
  if (!std::getline(in, line)) return {};
  const size_t at = line.find("Module");
  if (at == std::string::npos) return {};
  std::istringstream rest(line.substr(at));
  std::string token;
  while (rest >> token) {
    if (!token.empty() && std::isdigit(static_cast<unsigned char>(token[0])) != 0 &&
        token.find('.') != std::string::npos) {
      return token;
    }
  }
  return {};
}

std::string driver_text() {
  int api = 0;
  cudaDriverGetVersion(&api);
  const std::string cuda = "CUDA " + std::to_string(api / 1000) + "." + std::to_string(api % 1000 / 10);
  const std::string module = kernel_driver_version();
  return module.empty() ? "driver " + cuda : "driver " + module + " (" + cuda + ")";
}

std::string gib(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f GB", static_cast<double>(bytes) / 1e9);
  return buf;
}

}  // namespace

std::string cudnn_version_string(size_t v) {
  return std::to_string(v / 10000) + "." + std::to_string(v % 10000 / 100) + "." + std::to_string(v % 100);
}

bool gpu_faults_enabled() {
  const char* v = std::getenv(kDeviceFaultsEnv);
  return v != nullptr && std::string(v) == "1";
}

CudnnBackend::~CudnnBackend() {
  session_.cache.clear();
  if (session_.context_lost) return;  // nothing can be released in a lost context
  if (session_.handle != nullptr) cudnnDestroy(session_.handle);
  if (session_.stream != nullptr) cudaStreamDestroy(session_.stream);
}

BackendInfo CudnnBackend::info() {
  BackendInfo info;
  info.name = "cudnn";
  const size_t runtime = cudnnGetVersion();
  info.version = "cuDNN " + cudnn_version_string(runtime);
  if (runtime / 10000 != CUDNN_MAJOR) {
    info.reason = "cuDNN " + cudnn_version_string(runtime) + " loaded, but the plugin was built for cuDNN " +
                  std::to_string(CUDNN_MAJOR) + ".x";
    return info;
  }
  if (runtime != CUDNN_VERSION) {
    info.notes.push_back("built against cuDNN " + cudnn_version_string(CUDNN_VERSION) + ", running " +
                         cudnn_version_string(runtime) +
                         "; errata version ranges use the build version, as "
                         "cudnn-frontend does");
  }
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    cudaGetLastError();
    info.reason = "no CUDA device: cudaGetDeviceCount returned " + cuda_error_text(e);
    return info;
  }
  if (count == 0) {
    info.reason = "no CUDA device: cudaGetDeviceCount returned 0 devices";
    return info;
  }
  for (int d = 0; d < count; ++d) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, d) != cudaSuccess) continue;
    DeviceInfo di;
    di.index = d;
    di.name = std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) +
              ", " + gib(prop.totalGlobalMem) + ")";
    di.details = driver_text() + ", cuDNN " + cudnn_version_string(runtime) + ", " +
                 std::to_string(prop.multiProcessorCount) + " SMs, L2 " +
                 std::to_string(prop.l2CacheSize >> 20) + " MiB, " + std::to_string(prop.totalGlobalMem) +
                 " bytes";
    info.devices.push_back(std::move(di));
  }
  info.available = !info.devices.empty();
  if (!info.available) info.reason = "no CUDA device: cudaGetDeviceProperties failed for every device";
  std::string note, err;
  Errata probe;
  if (!probe.load_from_env(&note, &err)) {
    info.notes.push_back("CUDNN_ERRATA_JSON_FILE unusable: " + err);
  } else if (!note.empty()) {
    info.notes.push_back(note);
  } else if (!probe.origin().empty()) {
    info.notes.push_back("errata: " + std::to_string(probe.rules().size()) + " rules from " + probe.origin());
  }
  if (gpu_faults_enabled()) info.notes.push_back("GPU fault candidates listed (CONVPROBE_GPU_FAULTS=1)");
  // The CUDA context and cuDNN handle are created in prepare(device), which a worker calls before its hello:
  // a warm standby then runs at once after a hang or crash (measured on the H200: ~170 ms otherwise paid by
  // the first trial on the promoted standby).
  return info;
}

void CudnnBackend::ensure_device(int device) {
  if (session_.device == device && session_.handle != nullptr) return;
  if (session_.handle != nullptr) {
    throw std::runtime_error("this cudnn worker serves device " + std::to_string(session_.device) +
                             "; asked for device " + std::to_string(device) + " (one worker per device)");
  }
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess)
    throw std::runtime_error("no CUDA device: cudaGetDeviceCount returned " + cuda_error_text(e));
  if (device < 0 || device >= count) {
    throw std::runtime_error("device " + std::to_string(device) + " does not exist (" +
                             std::to_string(count) + " CUDA devices)");
  }
  if (const cudaError_t s = cudaSetDevice(device); s != cudaSuccess) {
    throw std::runtime_error("cudaSetDevice(" + std::to_string(device) + "): " + cuda_error_text(s));
  }
  if (const cudaError_t s = cudaStreamCreateWithFlags(&session_.stream, cudaStreamNonBlocking);
      s != cudaSuccess) {
    throw std::runtime_error("cudaStreamCreate: " + cuda_error_text(s));
  }
  if (const cudnnStatus_t s = cudnnCreate(&session_.handle); s != CUDNN_STATUS_SUCCESS) {
    throw std::runtime_error("cudnnCreate: " + cudnn_status_text(s));
  }
  cudnnSetStream(session_.handle, session_.stream);
  int l2 = 0;
  cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device);
  session_.l2_bytes = static_cast<size_t>(l2 > 0 ? l2 : 50 << 20);
  session_.device = device;
}

const Errata& CudnnBackend::errata() {
  if (!errata_loaded_) {
    std::string err;
    if (!errata_.load_from_env(&errata_note_, &err))
      throw std::runtime_error("CUDNN_ERRATA_JSON_FILE: " + err);
    errata_loaded_ = true;
  }
  return errata_;
}

std::vector<Candidate> CudnnBackend::candidates(const Problem& problem, const TrialOptions& options) {
  if (session_.context_lost) throw std::runtime_error("CUDA context lost by an earlier sticky error");
  const CudnnOptions cudnn_options = read_cudnn_options(options.backend_options);  // throws on a bad value
  ListingProfile profile;
  ensure_device(options.device);
  const Errata& rules = errata();
  profile.mark("device and errata");
  std::vector<Candidate> out;
  for (Candidate& c : legacy_candidates(session_.handle, problem)) {
    if (math_allows(problem, cudnn_options.math, c.has_note("tf32"))) out.push_back(std::move(c));
  }
  profile.mark("legacy algorithms");
  EngineEnumeration engines =
      engine_candidates(session_.handle, problem, options.seed, cudnn_options, rules, CUDNN_VERSION, profile);
  for (Candidate& c : engines.candidates) out.push_back(std::move(c));
  profile.print(problem);
  if (problem.spatial_dims == 1) {
    for (Candidate& c : out) append_note(&c.notes, "1d_as_2d");
  }
  if (gpu_faults_enabled()) {
    for (Candidate& c : gpu_fault_candidates()) out.push_back(std::move(c));
  }
  return out;
}

TrialResult CudnnBackend::run_trial(const Problem& problem, const Candidate& candidate,
                                    const TrialOptions& options, TrialContext& context) {
  if (session_.context_lost) {
    TrialResult r;
    r.verdict = Verdict::crash;
    r.detail = "CUDA context lost by an earlier sticky error in this process; not run";
    r.restart_worker = true;
    r.device = "cuda:" + std::to_string(options.device);
    return r;
  }
  ensure_device(options.device);
  if (candidate.family == "fault") return run_gpu_fault(candidate, context, session_);
  return run_cudnn_trial(problem, candidate, options, context, session_);
}

std::vector<std::string> CudnnBackend::relevant_env_prefixes() const {
  return {"CUDNN_", "NVIDIA_TF32_OVERRIDE", "CUDA_VISIBLE_DEVICES", "CUDA_MODULE_LOADING",
          "CONVPROBE_GPU_FAULTS"};
}

}  // namespace convprobe::cudnn
