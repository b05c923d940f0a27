// A minimal HIP runtime double for the MIOpen plugin's tests: "device" memory is host memory, events read the
// steady clock, and device 0 is a gfx1010 with 36 CUs (the gfx1010 report's RX 5600 XT). Exports the
// entry points the plugin resolves, with the same C signatures, and nothing more.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>

#define DOUBLE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

constexpr int kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2, kInvalidDevice = 101;

struct Event {
  double ms = 0;
  bool recorded = false;
};

std::mutex g_mutex;
double g_clock_offset_ms = 0;  // moved by the MIOpen double to fake a broken timer

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

DOUBLE_EXPORT int hipGetDeviceCount(int* count) {
  *count = 1;
  return kSuccess;
}
DOUBLE_EXPORT int hipSetDevice(int device) { return device == 0 ? kSuccess : kInvalidDevice; }
DOUBLE_EXPORT int hipGetDevicePropertiesR0600(void* props, int device) {
  if (device != 0) return kInvalidDevice;
  fill_props(props, 1472, 1160, 388);
  return kSuccess;
}
DOUBLE_EXPORT int hipGetDeviceProperties(void* props, int device) {  // the pre-6.0 layout
  if (device != 0) return kInvalidDevice;
  fill_props(props, 792, 396, 336);
  return kSuccess;
}
DOUBLE_EXPORT int hipRuntimeGetVersion(int* v) {
  *v = 50221151;  // ROCm 5.2's HIP 5.2.21151, the report's version
  return kSuccess;
}
DOUBLE_EXPORT int hipDriverGetVersion(int* v) {
  *v = 50221151;
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
  return *p != nullptr ? kSuccess : kOutOfMemory;
}
// The double's device has 8 GB, as an RX 5600 XT has 6 GB and most consumer cards 8-16 GB.
DOUBLE_EXPORT int hipMemGetInfo(size_t* free_bytes, size_t* total_bytes) {
  *total_bytes = size_t{8} * 1000 * 1000 * 1000;
  *free_bytes = *total_bytes - size_t{512} * 1000 * 1000;
  return kSuccess;
}
DOUBLE_EXPORT int hipFree(void* p) {
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
