#include "gpu_problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/verify.hpp"
#include "cuda_status.hpp"

namespace convprobe::cudnn {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int64_t elems(const gpu::Dims5& d) { return d.n * d.c * d.d * d.h * d.w; }

std::string cache_key(const Problem& p, const TrialOptions& o) {
  return key(p) + "|seed=" + std::to_string(o.seed) + "|macs=" + std::to_string(o.full_verify_max_macs) +
         "|points=" + std::to_string(o.sample_points) + "|dev=" + std::to_string(o.device);
}

// Distinct per-role seeds, so x, w and dy differ even with one user seed.
uint64_t role_seed(uint64_t seed, int role) {
  return seed * 0x100000001b3ull + static_cast<uint64_t>(role) * 7919;
}

std::string sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2e", v);
  return buf;
}

}  // namespace

gpu::Storage storage_of(DataType t) {
  switch (t) {
    case DataType::f16:
      return gpu::Storage::f16;
    case DataType::bf16:
      return gpu::Storage::bf16;
    default:
      return gpu::Storage::f32;
  }
}

gpu::ConvGeometry geometry_of(const Problem& p) {
  gpu::ConvGeometry g;
  g.dir = p.dir == Direction::fwd ? 0 : p.dir == Direction::bwd_data ? 1 : 2;
  g.groups = p.g;
  const bool cl = p.layout == Layout::nhwc;
  const auto out = p.out();
  g.src = {p.mb, p.ic, p.in[0], p.in[1], p.in[2], cl};
  g.wei = {p.oc, p.ic / p.g, p.kernel[0], p.kernel[1], p.kernel[2], cl};
  g.dst = {p.mb, p.oc, out[0], out[1], out[2], cl};
  for (int a = 0; a < 3; ++a) {
    g.stride[a] = p.stride[a];
    g.pad[a] = p.pad_begin[a];  // the padding after only sets the output size
    g.dil[a] = p.dilation[a] + 1;
  }
  return g;
}

gpu::Dims5 output_dims(const gpu::ConvGeometry& g) { return g.dir == 0 ? g.dst : g.dir == 1 ? g.src : g.wei; }

std::vector<int64_t> sample_offsets(const Problem& p, const TrialOptions& options, int64_t max_full_points) {
  const int64_t out = p.output_elems();
  const double macs = static_cast<double>(out) * static_cast<double>(p.reduction_length());
  if (macs <= options.full_verify_max_macs && out <= max_full_points) return {};
  const int64_t want = std::min<int64_t>(out, std::max<int64_t>(options.sample_points, 16384));
  if (want >= out) {
    if (out <= max_full_points) return {};
  }
  std::vector<int64_t> picked;
  picked.reserve(static_cast<size_t>(want));
  uint64_t state = options.seed ^ 0x5a4d504c45ull;  // "SAMPLE"
  // Draw, dedupe, top up: converges fast because want << out whenever sampling is chosen.
  while (static_cast<int64_t>(picked.size()) < want) {
    while (static_cast<int64_t>(picked.size()) < want) {
      picked.push_back(static_cast<int64_t>(splitmix64(state) % static_cast<uint64_t>(out)));
    }
    std::sort(picked.begin(), picked.end());
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  }
  return picked;
}

void* GpuProblem::output() const {
  return geometry.dir == 0 ? dst.get() : geometry.dir == 1 ? src.get() : wei.get();
}

int64_t GpuProblem::output_elems() const {
  return geometry.dir == 0 ? dst_elems : geometry.dir == 1 ? src_elems : wei_elems;
}

size_t GpuProblem::element_bytes() const { return storage == gpu::Storage::f32 ? 4 : 2; }

GpuProblem& GpuProblemCache::get(const Problem& p, const TrialOptions& options, bool need_reference,
                                 cudaStream_t stream) {
  const std::string k = cache_key(p, options);
  if (!current_ || current_->key != k) {
    current_.reset();  // free the previous problem's memory first
    auto gp = std::make_unique<GpuProblem>();
    gp->key = k;
    gp->problem = p;
    gp->storage = storage_of(p.type);
    gp->geometry = geometry_of(p);
    gp->src_elems = elems(gp->geometry.src);
    gp->wei_elems = elems(gp->geometry.wei);
    gp->dst_elems = elems(gp->geometry.dst);
    const size_t eb = gp->element_bytes();
    gp->src = DeviceBuffer(static_cast<size_t>(gp->src_elems) * eb, "src tensor");
    gp->wei = DeviceBuffer(static_cast<size_t>(gp->wei_elems) * eb, "weight tensor");
    gp->dst = DeviceBuffer(static_cast<size_t>(gp->dst_elems) * eb, "dst tensor");
    struct Slot {
      void* ptr;
      int64_t n;
      int role;
    };
    for (const Slot& s : {Slot{gp->src.get(), gp->src_elems, 0}, Slot{gp->wei.get(), gp->wei_elems, 1},
                          Slot{gp->dst.get(), gp->dst_elems, 2}}) {
      if (s.ptr == gp->output()) {
        check_cuda(gpu::fill_poison(s.ptr, gp->storage, s.n, stream), "poisoning the output");
      } else {
        check_cuda(gpu::fill_random(s.ptr, gp->storage, s.n, role_seed(options.seed, s.role), stream),
                   "filling inputs");
      }
    }
    sync_and_check("input setup");
    current_ = std::move(gp);
  }
  GpuProblem& gp = *current_;
  if (need_reference && !gp.has_reference) {
    const std::vector<int64_t> picked = sample_offsets(p, options);
    gp.sampled = !picked.empty();
    gp.points = gp.sampled ? static_cast<int64_t>(picked.size()) : gp.output_elems();
    if (gp.sampled) {
      gp.offsets = DeviceBuffer(picked.size() * sizeof(int64_t), "verification sample offsets");
      // On the trial's stream, not cudaMemcpy: the legacy default stream does not order with this
      // non-blocking stream, and a pageable copy may still be in flight when cudaMemcpy returns. The
      // reference kernel then read recycled memory as offsets (on the H200, after a 16-batch problem:
      // illegal addresses, or a reference at the wrong points that failed every candidate with rel_err
      // ~1.41).
      check_cuda(cudaMemcpyAsync(gp.offsets.get(), picked.data(), picked.size() * sizeof(int64_t),
                                 cudaMemcpyHostToDevice, stream),
                 "copying sample offsets");
    }
    gp.reference = DeviceBuffer(static_cast<size_t>(gp.points) * sizeof(double), "fp64 reference");
    check_cuda(gpu::reference(gp.geometry, gp.storage, gp.src.get(), gp.wei.get(), gp.dst.get(),
                              gp.sampled ? gp.offsets.as<int64_t>() : nullptr, gp.points,
                              gp.reference.as<double>(), stream),
               "reference kernel");
    sync_and_check("reference");
    gp.has_reference = true;
  }
  return gp;
}

VerifyOutcome verify_on_gpu(const GpuProblem& gp, const Candidate& judged_as, const void* out, uint64_t seed,
                            cudaStream_t stream) {
  VerifyOutcome r;
  r.info.sampled = gp.sampled;
  r.info.points = gp.points;
  r.info.seed = seed;
  r.info.threshold = error_threshold(gp.problem, judged_as);
  r.info.math = math_label(gp.problem, judged_as);

  struct Scratch {
    gpu::ScanCounts counts;
    double sums[2];
  };
  DeviceBuffer scratch(sizeof(Scratch), "verification counters");
  check_cuda(cudaMemsetAsync(scratch.get(), 0, sizeof(Scratch), stream), "clearing counters");
  auto* d = scratch.as<Scratch>();
  check_cuda(gpu::scan_output(out, gp.storage, gp.output_elems(), &d->counts, stream), "output scan");
  check_cuda(gpu::error_norms(out, gp.storage, gp.sampled ? gp.offsets.as<int64_t>() : nullptr,
                              gp.reference.as<double>(), gp.points, d->sums, stream),
             "error norms");
  Scratch h{};
  check_cuda(cudaMemcpyAsync(&h, d, sizeof(h), cudaMemcpyDeviceToHost, stream), "reading counters");
  sync_and_check("verify");

  std::string bad;
  auto add = [&bad](unsigned long long n, const char* what) {
    if (n == 0) return;
    if (!bad.empty()) bad += ", ";
    bad += std::to_string(n) + " " + what;
  };
  add(h.counts.poison, "untouched (poison)");
  add(h.counts.nan, "NaN");
  add(h.counts.inf, "Inf");
  if (!bad.empty()) {
    r.verdict = Verdict::mismatch;
    r.detail = bad + " of " + std::to_string(gp.output_elems()) + " outputs";
    return r;
  }
  const double norm = std::sqrt(h.sums[1]);
  r.rel_err = norm > 0 ? std::sqrt(h.sums[0]) / norm : std::sqrt(h.sums[0]);
  const bool ok = std::isfinite(r.rel_err) && r.rel_err <= r.info.threshold;
  r.verdict = ok ? Verdict::pass : Verdict::mismatch;
  r.detail = "rel_err " + sci(r.rel_err) + (ok ? " <= " : " > ") + sci(r.info.threshold) + " (" +
             r.info.math +
             (gp.sampled ? ", " + std::to_string(gp.points) + " sampled points)" : ", all points)");
  return r;
}

}  // namespace convprobe::cudnn
