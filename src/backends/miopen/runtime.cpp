#include "backends/miopen/runtime.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "backends/miopen/library_search.hpp"
#include "base/text.hpp"

namespace convprobe::miopen {
namespace {

namespace fs = std::filesystem;

// Resolves names in one library, remembering what is missing. The test-only variable
// CONVPROBE_MIOPEN_TEST_HIDE_SYMBOLS (honoured only with the test double) pretends some are missing, to
// exercise the "old ROCm" paths.
class SymbolTable {
 public:
  SymbolTable(void* handle, bool test_double) : handle_(handle) {
    const char* hide = std::getenv("CONVPROBE_MIOPEN_TEST_HIDE_SYMBOLS");
    if (test_double && hide != nullptr) {
      std::stringstream ss(hide);
      std::string name;
      while (std::getline(ss, name, ',')) hidden_.insert(name);
    }
  }
  template <typename Fn>
  void required(Fn* out, const char* name) {
    *out = lookup<Fn>(name);
    if (*out == nullptr) missing_required.push_back(name);
  }
  template <typename Fn>
  void optional(Fn* out, const char* name) {
    *out = lookup<Fn>(name);
    if (*out == nullptr) missing_optional.push_back(name);
  }
  std::vector<std::string> missing_required, missing_optional;

 private:
  template <typename Fn>
  Fn lookup(const char* name) {
    if (hidden_.count(name) != 0) return nullptr;
    return reinterpret_cast<Fn>(dlsym(handle_, name));
  }
  void* handle_;
  std::set<std::string> hidden_;
};

void resolve_direction(SymbolTable& t, DirectionFns* d, const std::string& dir, const char* find_name) {
  const std::string p = "miopenConvolution" + dir;
  t.optional(&d->get_solution_count, (p + "GetSolutionCount").c_str());
  t.optional(&d->get_solution, (p + "GetSolution").c_str());
  t.optional(&d->get_workspace_size, (p + "GetSolutionWorkspaceSize").c_str());
  t.optional(&d->compile, (p + "CompileSolution").c_str());
  t.optional(&d->immediate, (p + "Immediate").c_str());
  t.optional(&d->find, find_name);
}

void resolve_miopen(SymbolTable& t, MiopenFns* m) {
  t.required(&m->create, "miopenCreate");
  t.required(&m->destroy, "miopenDestroy");
  t.required(&m->error_string, "miopenGetErrorString");
  t.required(&m->create_tensor, "miopenCreateTensorDescriptor");
  t.required(&m->set_tensor, "miopenSetTensorDescriptor");
  t.required(&m->destroy_tensor, "miopenDestroyTensorDescriptor");
  t.required(&m->create_conv, "miopenCreateConvolutionDescriptor");
  t.required(&m->init_conv_nd, "miopenInitConvolutionNdDescriptor");
  t.required(&m->destroy_conv, "miopenDestroyConvolutionDescriptor");
  t.optional(&m->get_stream, "miopenGetStream");
  t.optional(&m->get_version, "miopenGetVersion");
  t.optional(&m->set_group_count, "miopenSetConvolutionGroupCount");
  t.optional(&m->solver_algorithm, "miopenGetSolverIdConvAlgorithm");
  resolve_direction(t, &m->dir[0], "Forward", "miopenFindConvolutionForwardAlgorithm");
  resolve_direction(t, &m->dir[1], "BackwardData", "miopenFindConvolutionBackwardDataAlgorithm");
  resolve_direction(t, &m->dir[2], "BackwardWeights", "miopenFindConvolutionBackwardWeightsAlgorithm");
}

void resolve_hip(SymbolTable& t, HipFns* h) {
  t.required(&h->get_device_count, "hipGetDeviceCount");
  t.required(&h->set_device, "hipSetDevice");
  t.required(&h->malloc, "hipMalloc");
  t.required(&h->free, "hipFree");
  t.required(&h->memcpy, "hipMemcpy");
  t.required(&h->synchronize, "hipDeviceSynchronize");
  t.required(&h->event_create, "hipEventCreate");
  t.required(&h->event_destroy, "hipEventDestroy");
  t.required(&h->event_record, "hipEventRecord");
  t.required(&h->event_synchronize, "hipEventSynchronize");
  t.required(&h->event_elapsed, "hipEventElapsedTime");
  t.optional(&h->runtime_version, "hipRuntimeGetVersion");
  t.optional(&h->driver_version, "hipDriverGetVersion");
  t.optional(&h->error_string, "hipGetErrorString");
  t.optional(&h->mem_get_info, "hipMemGetInfo");
  // ROCm >= 6.0 exports the R0600 struct under its own name; the plain name keeps the pre-6.0 layout.
  t.optional(&h->get_properties, "hipGetDevicePropertiesR0600");
  h->properties_r0600 = h->get_properties != nullptr;
  if (h->get_properties == nullptr) t.optional(&h->get_properties, "hipGetDeviceProperties");
}

// The doubles: explicit path or a directory holding both.
bool open_doubles(const std::string& value, OpenedLibrary* mi, OpenedLibrary* hip, std::string* reason) {
  std::error_code ec;
  const bool dir = fs::is_directory(value, ec);
  const fs::path mi_path = dir ? fs::path(value) / kMiopenDoubleFile : fs::path(value);
  const fs::path hip_path = mi_path.parent_path() / kHipDoubleFile;
  // The MIOpen double first: it names the HIP double as a dependency, so both come from one directory.
  auto m = open_test_double(mi_path.string(), reason);
  if (!m) return false;
  auto h = open_test_double(hip_path.string(), reason);
  if (!h) return false;
  *mi = *m;
  *hip = *h;
  return true;
}

}  // namespace

std::string Runtime::status_text(miopen_abi::Status s) const {
  const char* name = mi.error_string != nullptr ? mi.error_string(s) : nullptr;
  return std::string(name != nullptr ? name : "miopenStatus") + " (" + std::to_string(s) + ")";
}

std::string Runtime::hip_text(miopen_abi::HipError e) const {
  const char* name = hip.error_string != nullptr ? hip.error_string(e) : nullptr;
  if (name == nullptr) return "hipError " + std::to_string(e);
  return std::string(name) + " (" + std::to_string(e) + ")";
}

std::unique_ptr<Runtime> load_runtime(std::string* reason) {
  auto rt = std::make_unique<Runtime>();
  OpenedLibrary mi, hip;
  if (const char* dbl = std::getenv(kTestDoubleEnv); dbl != nullptr && *dbl != '\0') {
    if (!open_doubles(dbl, &mi, &hip, reason)) return nullptr;
    rt->test_double = true;
    rt->notes.push_back(std::string("TEST DOUBLE: ") + kTestDoubleEnv + "=" + dbl +
                        " (CPU code pretending to be MIOpen; results say nothing about a GPU)");
  } else {
    const LibrarySpec mi_spec{"MIOpen", "CONVPROBE_MIOPEN_LIB", {"libMIOpen.so", "libMIOpen.so.1"}};
    const std::vector<std::string> hip_names{"libamdhip64.so", "libamdhip64.so.7", "libamdhip64.so.6",
                                             "libamdhip64.so.5"};
    const LibrarySpec hip_spec{"HIP runtime", "CONVPROBE_HIP_LIB", hip_names};
    auto m = open_library(mi_spec, reason);
    if (!m) return nullptr;
    auto h = already_loaded(hip_names);
    if (!h) h = open_library(hip_spec, reason);
    if (!h) return nullptr;
    mi = *m;
    hip = *h;
  }
  rt->miopen_path = mi.path;
  rt->hip_path = hip.path;
  SymbolTable mt(mi.handle, rt->test_double);
  resolve_miopen(mt, &rt->mi);
  SymbolTable ht(hip.handle, rt->test_double);
  resolve_hip(ht, &rt->hip);
  if (!mt.missing_required.empty() || !ht.missing_required.empty()) {
    *reason = "missing entry points: " + join(mt.missing_required, ", ") +
              (mt.missing_required.empty() || ht.missing_required.empty() ? "" : ", ") +
              join(ht.missing_required, ", ") + " (" + mi.path + ", " + hip.path + ")";
    return nullptr;
  }
  for (const auto& name : mt.missing_optional) rt->notes.push_back(name + " not exported by " + mi.path);
  for (const auto& name : ht.missing_optional) {
    if (name == "hipGetDevicePropertiesR0600" && rt->hip.get_properties != nullptr) continue;  // pre-6.0 HIP
    rt->notes.push_back(name + " not exported by " + hip.path);
  }
  return rt;
}

}  // namespace convprobe::miopen
