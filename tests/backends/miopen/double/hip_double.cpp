// A minimal HIP runtime double for the MIOpen plugin's tests: "device" memory is host memory, events read the
// steady clock, and every device is a gfx1010 with 36 CUs (the gfx1010 report's RX 5600 XT). One device
// unless CONVPROBE_HIP_DOUBLE_DEVICES says more; the current device (hipSetDevice) is tracked and every
// allocation remembers the device it was made on, so the MIOpen double can refuse memory of another device.
// Its version follows the MIOpen double's release (CONVPROBE_MIOPEN_DOUBLE_VERSION). Exports the entry points
// the plugin resolves, with the same C signatures, plus the doubles' test hooks.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#define DOUBLE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

constexpr int kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2, kInvalidDevice = 101;

struct Event {
  double ms = 0;
  bool recorded = false;
};

std::mutex g_mutex;
double g_clock_offset_ms = 0;  // moved by the MIOpen double to fake a broken timer
int g_device = 0;              // hipSetDevice's current device (per process here; per thread in HIP)
std::map<const void*, int> g_allocations;  // allocation -> device

int device_count() {
  const char* v = std::getenv("CONVPROBE_HIP_DOUBLE_DEVICES");
  const int n = v != nullptr ? std::atoi(v) : 1;
  return n >= 1 && n <= 8 ? n : 1;
}

// HIP_VERSION of the ROCm release the MIOpen double pretends to be (see double_version.cpp).
int hip_version() {
  const char* v = std::getenv("CONVPROBE_MIOPEN_DOUBLE_VERSION");
  const std::string r = v != nullptr ? v : "";
  if (r == "5.7") return 50731921;
  if (r == "6.x") return 60241134;
  if (r == "7.x") return 70051831;
  return 50221151;  // ROCm 5.2's HIP 5.2.21151, the report's version
}

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

void put_string(char* base, size_t offset, const char* text) { std::strncpy(base + offset, text, 255); }

// hipDeviceProp_t layouts (see src/backends/miopen/miopen_api.hpp): name at 0 in both.
void fill_props(void* props, size_t size, size_t arch_offset, size_t cu_offset) {
  auto* p = static_cast<char*>(props);
  std::memset(p, 0, size);
  put_string(p, 0, "AMD Radeon RX 5600 XT (convprobe test double)");
  put_string(p, arch_offset, "gfx1010:xnack-");
  const int cus = 36;
  std::memcpy(p + cu_offset, &cus, sizeof cus);
}

}  // namespace

/// Marks this library as a test double: the plugin refuses it unless CONVPROBE_MIOPEN_TEST_DOUBLE names it.
// A function, not a global array: both doubles define the symbol, and ASan reports two instrumented
// globals of one name in two loaded libraries as an ODR violation (the plugin only asks dlsym for it).
DOUBLE_EXPORT const char* convprobe_test_double_marker() { return "convprobe HIP test double"; }

/// Test hook for the MIOpen double: shift every later event by `ms` (negative: a timer that runs backwards).
DOUBLE_EXPORT void convprobe_test_hip_double_shift_clock(double ms) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_clock_offset_ms += ms;
}

/// Test hooks for the MIOpen double: the current device, and the device an allocation lives on (-1: unknown).
DOUBLE_EXPORT int convprobe_test_hip_double_current_device() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_device;
}
DOUBLE_EXPORT int convprobe_test_hip_double_device_of(const void* p) {
  std::lock_guard<std::mutex> lock(g_mutex);
  const auto it = g_allocations.find(p);
  return it == g_allocations.end() ? -1 : it->second;
}

DOUBLE_EXPORT int hipGetDeviceCount(int* count) {
  *count = device_count();
  return kSuccess;
}
DOUBLE_EXPORT int hipSetDevice(int device) {
  if (device < 0 || device >= device_count()) return kInvalidDevice;
  std::lock_guard<std::mutex> lock(g_mutex);
  g_device = device;
  return kSuccess;
}
DOUBLE_EXPORT int hipGetDevicePropertiesR0600(void* props, int device) {
  if (device < 0 || device >= device_count()) return kInvalidDevice;
  fill_props(props, 1472, 1160, 388);
  return kSuccess;
}
DOUBLE_EXPORT int hipGetDeviceProperties(void* props, int device) {  // the pre-6.0 layout
  if (device < 0 || device >= device_count()) return kInvalidDevice;
  fill_props(props, 792, 396, 336);
  return kSuccess;
}
DOUBLE_EXPORT int hipRuntimeGetVersion(int* v) {
  *v = hip_version();
  return kSuccess;
}
DOUBLE_EXPORT int hipDriverGetVersion(int* v) {
  *v = hip_version();
  return kSuccess;
}
DOUBLE_EXPORT const char* hipGetErrorString(int e) {
  switch (e) {
    case kSuccess:
      return "hipSuccess";
    case kInvalidValue:
      return "hipErrorInvalidValue";
    case kOutOfMemory:
      return "hipErrorOutOfMemory";
    case kInvalidDevice:
      return "hipErrorInvalidDevice";
    default:
      return "hipErrorUnknown";
  }
}
DOUBLE_EXPORT int hipMalloc(void** p, size_t bytes) {
  *p = std::malloc(bytes);
  if (*p == nullptr) return kOutOfMemory;
  std::lock_guard<std::mutex> lock(g_mutex);
  g_allocations[*p] = g_device;
  return kSuccess;
}
// The double's device has 8 GB, as an RX 5600 XT has 6 GB and most consumer cards 8-16 GB.
DOUBLE_EXPORT int hipMemGetInfo(size_t* free_bytes, size_t* total_bytes) {
  *total_bytes = size_t{8} * 1000 * 1000 * 1000;
  *free_bytes = *total_bytes - size_t{512} * 1000 * 1000;
  return kSuccess;
}
DOUBLE_EXPORT int hipFree(void* p) {
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_allocations.erase(p);
  }
  std::free(p);
  return kSuccess;
}
DOUBLE_EXPORT int hipMemcpy(void* dst, const void* src, size_t bytes, int /*kind*/) {
  std::memcpy(dst, src, bytes);
  return kSuccess;
}
DOUBLE_EXPORT int hipDeviceSynchronize() { return kSuccess; }
DOUBLE_EXPORT int hipEventCreate(void** e) {
  *e = new Event;
  return kSuccess;
}
DOUBLE_EXPORT int hipEventDestroy(void* e) {
  delete static_cast<Event*>(e);
  return kSuccess;
}
DOUBLE_EXPORT int hipEventRecord(void* e, void* /*stream*/) {
  if (e == nullptr) return kInvalidValue;
  std::lock_guard<std::mutex> lock(g_mutex);
  static_cast<Event*>(e)->ms = now_ms() + g_clock_offset_ms;
  static_cast<Event*>(e)->recorded = true;
  return kSuccess;
}
DOUBLE_EXPORT int hipEventSynchronize(void* e) { return e != nullptr ? kSuccess : kInvalidValue; }
DOUBLE_EXPORT int hipEventElapsedTime(float* ms, void* start, void* stop) {
  auto* a = static_cast<Event*>(start);
  auto* b = static_cast<Event*>(stop);
  if (a == nullptr || b == nullptr || !a->recorded || !b->recorded) return kInvalidValue;
  *ms = static_cast<float>(b->ms - a->ms);
  return kSuccess;
}
