// The loaded MIOpen and HIP libraries as tables of function pointers. A missing required entry point makes
// the backend unavailable (with the names); a missing optional one degrades one feature with a note.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "backends/miopen/miopen_api.hpp"

namespace convprobe::miopen {

/// Immediate-mode and Find entry points of one direction (index: fwd 0, bwd-data 1, bwd-weights 2).
struct DirectionFns {
  miopen_abi::GetSolutionCountFn get_solution_count = nullptr;
  miopen_abi::GetSolutionFn get_solution = nullptr;
  miopen_abi::GetSolutionWorkspaceSizeFn get_workspace_size = nullptr;
  miopen_abi::CompileSolutionFn compile = nullptr;
  miopen_abi::ImmediateFn immediate = nullptr;
  miopen_abi::FindFn find = nullptr;  ///< optional: without it, forced solvers cannot be checked by Find
  [[nodiscard]] bool immediate_complete() const {
    return get_solution_count && get_solution && get_workspace_size && compile && immediate;
  }
};

struct MiopenFns {
  miopen_abi::CreateFn create = nullptr;
  miopen_abi::DestroyFn destroy = nullptr;
  miopen_abi::GetStreamFn get_stream = nullptr;    ///< optional: events go on the null stream
  miopen_abi::GetVersionFn get_version = nullptr;  ///< optional
  miopen_abi::GetErrorStringFn error_string = nullptr;
  miopen_abi::CreateTensorDescFn create_tensor = nullptr;
  miopen_abi::SetTensorDescFn set_tensor = nullptr;
  miopen_abi::DestroyTensorDescFn destroy_tensor = nullptr;
  miopen_abi::CreateConvDescFn create_conv = nullptr;
  miopen_abi::InitConvNdDescFn init_conv_nd = nullptr;
  miopen_abi::SetGroupCountFn set_group_count = nullptr;  ///< optional: grouped problems unsupported
  miopen_abi::DestroyConvDescFn destroy_conv = nullptr;
  miopen_abi::GetSolverIdAlgoFn solver_algorithm = nullptr;  ///< optional: family from our table
  std::array<DirectionFns, 3> dir;
};

struct HipFns {
  miopen_abi::HipGetDeviceCountFn get_device_count = nullptr;
  miopen_abi::HipSetDeviceFn set_device = nullptr;
  miopen_abi::HipGetDevicePropertiesFn get_properties = nullptr;  ///< optional
  bool properties_r0600 = false;  ///< which hipDeviceProp_t layout get_properties fills
  miopen_abi::HipRuntimeGetVersionFn runtime_version = nullptr;  ///< optional
  miopen_abi::HipDriverGetVersionFn driver_version = nullptr;    ///< optional
  miopen_abi::HipGetErrorStringFn error_string = nullptr;        ///< optional
  miopen_abi::HipMallocFn malloc = nullptr;
  miopen_abi::HipFreeFn free = nullptr;
  miopen_abi::HipMemGetInfoFn mem_get_info = nullptr;  ///< optional: without it, only --max-workspace caps
  miopen_abi::HipMemcpyFn memcpy = nullptr;
  miopen_abi::HipDeviceSynchronizeFn synchronize = nullptr;
  miopen_abi::HipEventCreateFn event_create = nullptr;
  miopen_abi::HipEventDestroyFn event_destroy = nullptr;
  miopen_abi::HipEventRecordFn event_record = nullptr;
  miopen_abi::HipEventSynchronizeFn event_synchronize = nullptr;
  miopen_abi::HipEventElapsedTimeFn event_elapsed = nullptr;
};

struct Runtime {
  MiopenFns mi;
  HipFns hip;
  std::string miopen_path;
  std::string hip_path;
  bool test_double = false;
  std::vector<std::string> notes;  ///< degraded features (missing optional entry points)

  /// "miopenStatusBadParm (3)": MIOpen's own name for the status, then the number.
  [[nodiscard]] std::string status_text(miopen_abi::Status s) const;
  /// "hipErrorOutOfMemory (2)" or "hipError 2" without hipGetErrorString.
  [[nodiscard]] std::string hip_text(miopen_abi::HipError e) const;
};

/// Load MIOpen, then the HIP runtime (preferring the copy MIOpen already pulled in), and resolve every
/// entry point. nullptr with *reason when a library or a required entry point is missing.
[[nodiscard]] std::unique_ptr<Runtime> load_runtime(std::string* reason);

}  // namespace convprobe::miopen
