// The double's user find-db, called through its C entry points the way a framework would (no plugin in
// between): where the file is, the key, the 1.0 / 2.0 value formats, the Info2 lookup line, and that a user
// record steers the immediate listing and a default-mode Find (issue 15 part 3 builds on exactly this). Each
// case runs in a child (gtest's threadsafe death tests re-execute this binary): the double reads its
// environment once per process, as MIOpen does.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "support/run_command.hpp"

namespace convprobe::miopen_test {
namespace {

using convprobe::test::read_file;

struct Perf {
  int algo;
  float time;
  size_t memory;
};
struct Solution {
  float time;
  size_t workspace;
  uint64_t id;
  int algo;
};

// A forward convolution N=1, C -> K, HxH, 3x3, pad 1, f32 NCHW, through the double's entry points.
class RawDouble {
 public:
  RawDouble(int c, int k, int hw) : c_(c), k_(k), hw_(hw) {
    const std::string path = std::string(CONVPROBE_MIOPEN_DOUBLE_DIR) + "/libconvprobe_test_miopen_double.so";
    lib_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib_ == nullptr) std::_Exit(90);
    call<int (*)(void**)>("miopenCreate")(&handle_);
    x_ = tensor({1, c, hw, hw});
    w_ = tensor({k, c, 3, 3});
    y_ = tensor({1, k, hw, hw});
    call<int (*)(void**)>("miopenCreateConvolutionDescriptor")(&conv_);
    const int pad[2] = {1, 1}, stride[2] = {1, 1}, dil[2] = {1, 1};
    call<int (*)(void*, int, const int*, const int*, const int*, int)>("miopenInitConvolutionNdDescriptor")(
        conv_, 2, pad, stride, dil, 0);
  }

  /// miopenFindConvolutionForwardAlgorithm with request 4: the families found, best first.
  std::vector<Perf> find() {
    std::vector<float> x(static_cast<size_t>(c_ * hw_ * hw_), 1.0f),
        w(static_cast<size_t>(k_ * c_ * 9), 1.0f), y(static_cast<size_t>(k_ * hw_ * hw_));
    std::vector<Perf> perf(4);
    int returned = 0;
    const int st = call<int (*)(void*, void*, const void*, void*, const void*, void*, void*, void*, int, int*,
                                void*, void*, size_t, bool)>("miopenFindConvolutionForwardAlgorithm")(
        handle_, x_, device(x), w_, device(w), conv_, y_, device(y), 4, &returned, perf.data(), nullptr, 0,
        false);
    perf.resize(st == 0 ? static_cast<size_t>(returned) : 0);
    return perf;
  }

  /// The immediate listing (GetSolutionCount + GetSolution).
  std::vector<Solution> listing() {
    size_t n = 0;
    using CountFn = int (*)(void*, void*, void*, void*, void*, size_t*);
    if (call<CountFn>("miopenConvolutionForwardGetSolutionCount")(handle_, w_, x_, conv_, y_, &n) != 0)
      return {};
    std::vector<Solution> out(n);
    using GetFn = int (*)(void*, void*, void*, void*, void*, size_t, size_t*, void*);
    call<GetFn>("miopenConvolutionForwardGetSolution")(handle_, w_, x_, conv_, y_, n, &n, out.data());
    out.resize(n);
    return out;
  }

 private:
  template <typename Fn>
  Fn call(const char* name) {
    auto* f = reinterpret_cast<Fn>(dlsym(lib_, name));
    if (f == nullptr) std::_Exit(91);
    return f;
  }
  void* tensor(std::vector<int> dims) {
    void* t = nullptr;
    call<int (*)(void**)>("miopenCreateTensorDescriptor")(&t);
    std::vector<int> strides(4, 1);
    for (int i = 2; i >= 0; --i)
      strides[static_cast<size_t>(i)] =
          strides[static_cast<size_t>(i) + 1] * dims[static_cast<size_t>(i) + 1];
    call<int (*)(void*, int, int, const int*, const int*)>("miopenSetTensorDescriptor")(t, 1, 4, dims.data(),
                                                                                        strides.data());
    return t;
  }
  // "Device" memory from the HIP double, so the MIOpen double sees it on the handle's device.
  void* device(const std::vector<float>& host) {
    void* hip =
        dlopen((std::string(CONVPROBE_MIOPEN_DOUBLE_DIR) + "/libconvprobe_test_hip_double.so").c_str(),
               RTLD_NOW | RTLD_NOLOAD);
    auto* hip_malloc = reinterpret_cast<int (*)(void**, size_t)>(dlsym(hip, "hipMalloc"));
    void* p = nullptr;
    hip_malloc(&p, host.size() * sizeof(float));
    std::memcpy(p, host.data(), host.size() * sizeof(float));
    return p;
  }

  int c_, k_, hw_;
  void* lib_ = nullptr;
  void* handle_ = nullptr;
  void *x_ = nullptr, *w_ = nullptr, *y_ = nullptr, *conv_ = nullptr;
};

const std::filesystem::path kDir = std::filesystem::temp_directory_path() / "convprobe-double-finddb";
const char* const kFile52 = "gfx1010_36.HIP.2_17_0_3ddc968c.ufdb.txt";
const char* const kFile6x = "gfx1010_36.HIP.3_2_0_36bb7fd4.ufdb.txt";

void in_child(const char* release, std::initializer_list<std::pair<const char*, const char*>> env) {
  setenv("CONVPROBE_MIOPEN_DOUBLE_VERSION", release, 1);
  setenv("MIOPEN_USER_DB_PATH", kDir.c_str(), 1);
  for (const auto& [k, v] : env) setenv(k, v, 1);
}

[[noreturn]] void normal_find_writes(const char* release, const char* file) {
  std::filesystem::remove_all(kDir);
  std::filesystem::create_directories(kDir);
  in_child(release, {{"MIOPEN_FIND_MODE", "NORMAL"}, {"MIOPEN_DEBUG_FIND_ONLY_SOLVER", "85"}});
  const auto perf = RawDouble(3, 4, 16).find();
  std::cerr << "found " << perf.size() << " algo " << (perf.empty() ? -1 : perf[0].algo) << "\n"
            << read_file(kDir / file) << std::flush;
  std::_Exit(0);
}

TEST(MiopenDoubleFindDb, CPU_NormalFindWritesTheRecordInTheReleaseFormat) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // 1.0 up to ROCm 5.5: one entry per family (5.2 perf_field.hpp, finddb_kernel_cache_key.hpp:53-59).
  EXPECT_EXIT(
      normal_find_writes("5.2", kFile52), ::testing::ExitedWithCode(0),
      "found 1 algo 1\n3-16-16-3x3-4-16-16-1-1x1-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoDirect:"
      "ConvDirectNaiveConvFwd,1.85,0,miopenConvolutionFwdAlgoDirect,<unused>\n");
  // 2.0 from ROCm 5.6: one entry per solver (develop perf_field.hpp, db_record.cpp:174-189).
  EXPECT_EXIT(normal_find_writes("6.x", kFile6x), ::testing::ExitedWithCode(0),
              "found 1 algo 1\n3-16-16-3x3-4-16-16-1-1x1-1x1-1x1-0-NCHW-FP32-F=ConvDirectNaiveConvFwd:1.85,0,"
              "miopenConvolutionFwdAlgoDirect\n");
}

// The seed case: 3 -> 64 at 44x44, where GEMM hangs. A user record naming the naive solver is a hit: the
// listing is that entry, and a default (DYNAMIC_HYBRID) Find compiles and returns it without running GEMM.
[[noreturn]] void record_steers(const char* extra_env, const char* extra_value) {
  std::filesystem::remove_all(kDir);
  std::filesystem::create_directories(kDir);
  std::ofstream(kDir / kFile52)
      << "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoDirect:"
         "ConvDirectNaiveConvFwd,0.5,0,miopenConvolutionFwdAlgoDirect,<unused>\n";
  in_child("5.2", {{"MIOPEN_LOG_LEVEL", "6"}, {extra_env, extra_value}});
  RawDouble d(3, 64, 44);
  const auto l = d.listing();
  std::cerr << "listing";
  for (const auto& s : l) std::cerr << " " << s.id;
  std::cerr << std::endl;
  const auto perf = d.find();
  std::cerr << "find algo " << (perf.empty() ? -1 : perf[0].algo) << std::endl;
  std::_Exit(0);
}

TEST(MiopenDoubleFindDb, CPU_AUserRecordSteersTheListingAndADefaultFind) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::string line =
      "MIOpen\\(HIP\\): Info2 \\[FindRecordUnsafe\\] Looking for key "
      "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F in file " +
      kDir.string() + "/" + kFile52;
  EXPECT_EXIT(record_steers("MIOPEN_DEBUG_CONV_FFT", "1"), ::testing::ExitedWithCode(0),
              line + "(.|\n)*listing 85\n(.|\n)*find algo 1\n");
  // With the find-db disabled the record is not read: the listing is the WTI fallback (Winograd first).
  EXPECT_EXIT(record_steers("MIOPEN_DEBUG_DISABLE_FIND_DB", "1"), ::testing::ExitedWithCode(0),
              "listing 53 84 91 85\n");
  std::filesystem::remove_all(kDir);
}

}  // namespace
}  // namespace convprobe::miopen_test
