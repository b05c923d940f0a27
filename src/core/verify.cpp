// compute_reference (once per problem) and verify_output (once per candidate). See docs/verification.md.
#include "core/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <unordered_set>

#include "core/parallel.hpp"
#include "core/random.hpp"
#include "core/reference_conv.hpp"

namespace convprobe {

namespace {

/// Never verify at fewer points than this (issue 3: "at least 16,384").
constexpr int64_t kMinSamplePoints = 16384;
/// Block size of the deterministic parallel sums (the same partial sums whatever the thread count).
constexpr int64_t kSumBlock = int64_t{1} << 15;
/// Separates the sample's random stream from the input tensors' streams (both derive from options.seed).
constexpr uint64_t kSampleStreamSalt = 0x73616d706c65ull;  // "sample"

/// `count` distinct offsets in [0, total), uniformly chosen (Floyd's algorithm), sorted.
std::vector<int64_t> sample_offsets(int64_t total, int64_t count, uint64_t seed) {
  const uint64_t stream = detail::splitmix64(seed ^ kSampleStreamSalt);
  std::unordered_set<int64_t> chosen;
  chosen.reserve(static_cast<size_t>(count) * 2);
  for (int64_t j = total - count; j < total; ++j) {
    const auto pick = static_cast<int64_t>(detail::uniform_below(
        detail::splitmix64(stream + static_cast<uint64_t>(j)), static_cast<uint64_t>(j + 1)));
    if (!chosen.insert(pick).second) chosen.insert(j);
  }
  std::vector<int64_t> offsets(chosen.begin(), chosen.end());
  std::sort(offsets.begin(), offsets.end());
  return offsets;
}

/// Sum of f(i) over [0, n) in fixed blocks, each summed by one thread, then added in block order.
template <class F>
double deterministic_sum(int64_t n, const F& f) {
  const int64_t blocks = (n + kSumBlock - 1) / kSumBlock;
  std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
  detail::parallel_for(blocks, 0, [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) {
      double s = 0;
      for (int64_t i = b * kSumBlock, stop = std::min(n, i + kSumBlock); i < stop; ++i) s += f(i);
      partial[static_cast<size_t>(b)] = s;
    }
  });
  double total = 0;
  for (double s : partial) total += s;
  return total;
}

struct NonFiniteCounts {
  int64_t nan = 0, inf = 0, poison = 0;
};

/// Full scan of every output element. Only elements with an all-ones exponent are looked at twice.
NonFiniteCounts scan_non_finite(const HostTensor& out) {
  const bool wide = out.type() == DataType::f32 || out.type() == DataType::tf32;
  const uint32_t exp_mask = wide ? 0x7f800000u : out.type() == DataType::f16 ? 0x7c00u : 0x7f80u;
  const uint32_t mant_mask = wide ? 0x007fffffu : out.type() == DataType::f16 ? 0x03ffu : 0x007fu;
  const auto* bits32 = static_cast<const uint32_t*>(out.data());
  const auto* bits16 = static_cast<const uint16_t*>(out.data());
  std::atomic<int64_t> nan{0}, inf{0}, poison{0};
  detail::parallel_for(
      out.elems(), 0,
      [&](int64_t begin, int64_t end) {
        NonFiniteCounts local;
        for (int64_t i = begin; i < end; ++i) {
          const uint32_t b = wide ? bits32[i] : bits16[i];
          if ((b & exp_mask) != exp_mask) continue;
          if (out.is_poison(i)) {
            ++local.poison;
          } else if ((b & mant_mask) != 0) {
            ++local.nan;
          } else {
            ++local.inf;
          }
        }
        nan += local.nan, inf += local.inf, poison += local.poison;
      },
      kSumBlock);
  return {nan.load(), inf.load(), poison.load()};
}

}  // namespace

ReferenceData compute_reference(const Problem& p, const ConvTensors& t, const TrialOptions& options) {
  ReferenceData ref;
  ref.seed = options.seed;
  const HostTensor& out = t.get(output_role(p.dir));
  const int64_t total = out.elems();
  const double macs = static_cast<double>(total) * static_cast<double>(p.reduction_length());
  const int64_t points = std::max(options.sample_points, kMinSamplePoints);
  if (macs <= options.full_verify_max_macs) {
    reference_full(p, t, &ref.values);
  } else if (total <= points) {
    // Over the budget, yet no more points than a sample: every point, one at a time (reference_full would
    // copy the inputs to fp64, which is what a large reduction cannot afford).
    ref.values.resize(static_cast<size_t>(total));
    detail::parallel_for(total, 0, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) ref.values[static_cast<size_t>(i)] = reference_at(p, t, i);
    });
  } else {
    ref.sampled = true;
    ref.offsets = sample_offsets(total, points, options.seed);
    ref.values.resize(ref.offsets.size());
    detail::parallel_for(static_cast<int64_t>(ref.offsets.size()), 0, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        ref.values[static_cast<size_t>(i)] = reference_at(p, t, ref.offsets[static_cast<size_t>(i)]);
      }
    });
  }
  const double sq = deterministic_sum(static_cast<int64_t>(ref.values.size()), [&](int64_t i) {
    const double v = ref.values[static_cast<size_t>(i)];
    return v * v;
  });
  ref.norm = std::sqrt(sq);
  return ref;
}

VerifyOutcome verify_output(const Problem& p, const Candidate& c, const HostTensor& out,
                            const ReferenceData& ref) {
  VerifyOutcome r;
  r.info.sampled = ref.sampled;
  r.info.points = static_cast<int64_t>(ref.values.size());
  r.info.seed = ref.seed;
  r.info.threshold = error_threshold(p, c);
  r.info.math = math_label(p, c);

  const int64_t total = out.elems();
  if (!ref.sampled && static_cast<int64_t>(ref.values.size()) != total) {
    r.verdict = Verdict::mismatch;
    r.detail = fmt::format("output has {} elements, the reference {}", total, ref.values.size());
    return r;
  }

  // Whatever the sample, every element is scanned: a kernel that skips a tile must not hide between points.
  const NonFiniteCounts bad = scan_non_finite(out);
  if (bad.nan + bad.inf + bad.poison > 0) {
    r.verdict = Verdict::mismatch;
    std::string detail;
    if (bad.poison > 0) detail = fmt::format("{} of {} outputs untouched (poison)", bad.poison, total);
    if (bad.nan + bad.inf > 0) {
      if (!detail.empty()) detail += "; ";
      detail += fmt::format("{} NaN, {} Inf of {} outputs", bad.nan, bad.inf, total);
    }
    r.detail = std::move(detail);
    return r;
  }

  const auto at = [&](int64_t i) {
    return ref.sampled ? out.get(ref.offsets[static_cast<size_t>(i)]) : out.get(i);
  };
  const double err_sq = deterministic_sum(r.info.points, [&](int64_t i) {
    const double d = at(i) - ref.values[static_cast<size_t>(i)];
    return d * d;
  });
  const double err = std::sqrt(err_sq);
  const std::string where = ref.sampled ? fmt::format(" ({}, {} sampled points)", r.info.math, r.info.points)
                                        : fmt::format(" ({})", r.info.math);
  if (ref.norm > 0) {
    r.rel_err = err / ref.norm;
    const bool ok = r.rel_err <= r.info.threshold;
    r.verdict = ok ? Verdict::pass : Verdict::mismatch;
    r.detail = fmt::format("rel_err {:.2e} {} {:.2e}{}", r.rel_err, ok ? "<=" : ">", r.info.threshold, where);
  } else {
    // The reference is zero at every checked point (e.g. outputs that see only padding): a relative error is
    // undefined, so the absolute error is held to the same bound.
    r.rel_err = err;
    const bool ok = err <= r.info.threshold;
    r.verdict = ok ? Verdict::pass : Verdict::mismatch;
    r.detail = fmt::format("abs_err {:.2e} {} {:.2e}{}: reference is zero, absolute error used", err,
                           ok ? "<=" : ">", r.info.threshold, where);
  }
  return r;
}

}  // namespace convprobe
