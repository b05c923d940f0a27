// The GPU fp64 reference must equal the CPU reference (reference_full) on random small problems covering
// every direction, groups, dilation, stride, padding, 2-D/3-D, NCHW/NHWC and f32/f16/bf16 storage.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/reference_conv.hpp"
#include "core/tensor.hpp"
#include "gpu_problem.hpp"
#include "gpu_test_util.hpp"

namespace convprobe::cudnn {
namespace {

Problem random_problem(std::mt19937_64& rng) {
  auto pick = [&rng](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  Problem p;
  p.dir = static_cast<Direction>(pick(0, 2));
  p.type = std::array{DataType::f32, DataType::f16, DataType::bf16}[pick(0, 2)];
  p.layout = pick(0, 1) == 0 ? Layout::nchw : Layout::nhwc;
  p.spatial_dims = pick(0, 3) == 0 ? 3 : 2;
  p.g = std::array{1, 1, 2, 3}[pick(0, 3)];
  p.mb = pick(1, 2);
  p.ic = p.g * pick(1, 3);
  p.oc = p.g * pick(1, 3);
  for (int a = p.spatial_dims == 3 ? 0 : 1; a < 3; ++a) {
    p.kernel[a] = pick(1, 3);
    p.stride[a] = pick(1, 2);
    p.pad_begin[a] = p.pad_end[a] = pick(0, 1);
    p.dilation[a] = pick(0, 1);
    p.in[a] = p.effective_kernel(a) + pick(0, 5);
  }
  return p;
}

std::vector<std::byte> download(const DeviceBuffer& b) {
  std::vector<std::byte> out(b.bytes());
  EXPECT_EQ(cudaMemcpy(out.data(), b.get(), b.bytes(), cudaMemcpyDeviceToHost), cudaSuccess);
  return out;
}

DeviceBuffer upload(const HostTensor& t) {
  DeviceBuffer b(t.bytes(), "test tensor");
  EXPECT_EQ(cudaMemcpy(b.get(), t.data(), t.bytes(), cudaMemcpyHostToDevice), cudaSuccess);
  return b;
}

std::vector<double> gpu_reference(const Problem& p, const ConvTensors& t,
                                  const std::vector<int64_t>& offsets) {
  DeviceBuffer x = upload(t.src), w = upload(t.wei), y = upload(t.dst);
  const int64_t points =
      offsets.empty() ? t.get(output_role(p.dir)).elems() : static_cast<int64_t>(offsets.size());
  DeviceBuffer d_off(offsets.size() * sizeof(int64_t), "offsets");
  if (!offsets.empty()) {
    EXPECT_EQ(cudaMemcpy(d_off.get(), offsets.data(), d_off.bytes(), cudaMemcpyHostToDevice), cudaSuccess);
  }
  DeviceBuffer ref(static_cast<size_t>(points) * sizeof(double), "reference");
  EXPECT_EQ(
      gpu::reference(geometry_of(p), storage_of(p.type), x.get(), w.get(), y.get(),
                     offsets.empty() ? nullptr : d_off.as<int64_t>(), points, ref.as<double>(), nullptr),
      cudaSuccess);
  EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  const std::vector<std::byte> raw = download(ref);
  std::vector<double> out(static_cast<size_t>(points));
  std::memcpy(out.data(), raw.data(), raw.size());
  return out;
}

TEST(GPU_Reference, MatchesCpuReferenceOnRandomSmallProblems) {
  CONVPROBE_REQUIRE_GPU();
  std::mt19937_64 rng(20261125);
  for (int i = 0; i < 60; ++i) {
    const Problem p = random_problem(rng);
    ASSERT_TRUE(validate(p).empty()) << to_string(p) << ": " << validate(p);
    const ConvTensors t = make_tensors(p, 1000 + i);
    std::vector<double> cpu;
    reference_full(p, t, &cpu, 1);
    const std::vector<double> gpu = gpu_reference(p, t, {});
    ASSERT_EQ(gpu.size(), cpu.size()) << to_string(p);
    double worst = 0;
    for (size_t k = 0; k < cpu.size(); ++k)
      worst = std::max(worst, std::abs(gpu[k] - cpu[k]) / (1 + std::abs(cpu[k])));
    EXPECT_LT(worst, 1e-12) << to_string(p);
  }
}

TEST(GPU_Reference, SampledPointsMatchTheFullReference) {
  CONVPROBE_REQUIRE_GPU();
  Problem p;
  p.dir = Direction::bwd_weights;
  p.layout = Layout::nhwc;
  p.mb = 2, p.ic = 8, p.oc = 16, p.g = 2, p.in = {1, 12, 10}, p.kernel = {1, 3, 3}, p.set_pads({0, 1, 1});
  TrialOptions o;
  o.full_verify_max_macs = 10;  // force sampling
  o.sample_points = 16384;
  // 16 x 4 x 3 x 3 = 576 outputs, fewer than the sample size: verified in full even above the MAC limit.
  EXPECT_TRUE(sample_offsets(p, o).empty());
  Problem big = p;
  big.oc = 4096, big.ic = 64, big.g = 1;
  const std::vector<int64_t> big_offsets = sample_offsets(big, o);
  EXPECT_EQ(big_offsets.size(), 16384u);
  EXPECT_TRUE(std::is_sorted(big_offsets.begin(), big_offsets.end()));
  EXPECT_EQ(std::adjacent_find(big_offsets.begin(), big_offsets.end()), big_offsets.end());

  const ConvTensors t = make_tensors(p, 7);
  std::vector<double> cpu;
  reference_full(p, t, &cpu, 1);
  const std::vector<int64_t> some = {0, 5, 17, 100, 575};
  const std::vector<double> gpu = gpu_reference(p, t, some);
  for (size_t k = 0; k < some.size(); ++k) EXPECT_NEAR(gpu[k], cpu[static_cast<size_t>(some[k])], 1e-12);
}

TEST(CPU_Sampling, SmallProblemsAreVerifiedInFull) {
  Problem p;
  p.ic = 4, p.oc = 4, p.in = {1, 8, 8}, p.kernel = {1, 3, 3};
  EXPECT_TRUE(sample_offsets(p, TrialOptions{}).empty());
}

}  // namespace
}  // namespace convprobe::cudnn
