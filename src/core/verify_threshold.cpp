// Error bounds per arithmetic. The reasoning (and the measurements behind the constants) is in
// docs/verification.md; keep the two in step.
#include <algorithm>
#include <cmath>

#include "core/verify.hpp"

namespace convprobe {

namespace {

enum class Math { f32, tf32, f16, bf16 };

Math math_of(const Problem& p, const Candidate& c) {
  switch (p.type) {
    case DataType::f32:
      // A candidate that rounds f32 inputs to TF32 on the way into tensor cores is TF32 arithmetic, whatever
      // the problem asked for; it is judged (and labelled) as such.
      return c.has_note("down_convert") ? Math::tf32 : Math::f32;
    case DataType::tf32:
      return Math::tf32;
    case DataType::f16:
      return Math::f16;
    case DataType::bf16:
      return Math::bf16;
  }
  return Math::f32;
}

/// f32 accumulation of K products: the rounding errors of the running sum add up like a random walk, giving
/// a norm-wise relative error of about 2.4e-8 * sqrt(K) for a plain sequential sum of random-sign terms
/// (blocked and tree sums do better). 4e-7 * sqrt(K) leaves a margin of ~16x; the floor keeps tiny
/// reductions from demanding better than ~8 ulps, the cap keeps a one-term bug in a 25088-term reduction
/// of a 512-channel layer (~2.8e-4) detectable.
double f32_bound(double k) { return std::clamp(4e-7 * std::sqrt(k), 1e-6, 1e-4); }

}  // namespace

double error_threshold(const Problem& p, const Candidate& c) {
  const double k = static_cast<double>(std::max<int64_t>(1, p.reduction_length()));
  switch (math_of(p, c)) {
    case Math::f32:
      return f32_bound(k);
    case Math::tf32:
      // Inputs rounded to 10 mantissa bits (or truncated: ~8e-4 norm-wise), independent per term so it does
      // not grow with K; the f32 accumulation term on top.
      return 2e-3 + f32_bound(k);
    case Math::f16:
      // Inputs exact, products exact in f32; output rounding alone is ~2.8e-4. The K term makes room for
      // implementations that accumulate in f16 on short reductions, capped at 1e-2.
      return std::min(1e-2, 5e-3 + 1e-4 * std::sqrt(k));
    case Math::bf16:
      // Output rounding to 8 mantissa bits alone is ~1.1e-3 norm-wise; room for partial sums that are
      // rounded to bf16 between reduction blocks.
      return 2e-2;
  }
  return f32_bound(k);
}

std::string math_label(const Problem& p, const Candidate& c) {
  switch (math_of(p, c)) {
    case Math::f32:
      return "f32";
    case Math::tf32:
      return "tf32";
    case Math::f16:
      return "f16";
    case Math::bf16:
      return "bf16";
  }
  return "f32";
}

}  // namespace convprobe
