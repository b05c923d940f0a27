#include "knob_sampling.hpp"

#include <algorithm>

#include "core/random.hpp"

namespace convprobe::cudnn {
namespace {

int64_t stride_of(const KnobInfo& k) { return k.stride < 1 ? 1 : k.stride; }

uint64_t step_count(const KnobInfo& k) {
  if (k.max <= k.min) return 1;
  return static_cast<uint64_t>((k.max - k.min) / stride_of(k)) + 1;
}

}  // namespace

KnobSampler::KnobSampler(uint64_t seed, int64_t engine)
    : state_(seed ^ (0xc0ffee0000ull + static_cast<uint64_t>(engine) * 0x9e3779b97f4a7c15ull)) {}

uint64_t KnobSampler::next() {
  const uint64_t bits = detail::splitmix64(state_);
  state_ += 0x9e3779b97f4a7c15ull;  // splitmix64's own increment: consecutive calls walk its sequence
  return bits;
}

size_t KnobSampler::below(size_t n) { return static_cast<size_t>(next() % n); }

int64_t KnobSampler::value(const KnobInfo& k) {
  const uint64_t steps = step_count(k);
  if (steps == 1) return k.min;
  return k.min + static_cast<int64_t>(next() % steps) * stride_of(k);
}

KnobChoices KnobSampler::uniform(const std::vector<KnobInfo>& knobs) {
  KnobChoices out;
  out.reserve(knobs.size());
  for (const KnobInfo& k : knobs) out.emplace_back(k.type, value(k));
  return out;
}

KnobChoices KnobSampler::one_knob_away(KnobChoices base, const std::vector<KnobInfo>& knobs) {
  std::vector<const KnobInfo*> variable;
  for (const KnobInfo& k : knobs) {
    if (step_count(k) > 1) variable.push_back(&k);
  }
  if (variable.empty()) return base;
  const KnobInfo& k = *variable[below(variable.size())];
  auto it =
      std::find_if(base.begin(), base.end(), [&k](const auto& choice) { return choice.first == k.type; });
  if (it == base.end()) {
    base.emplace_back(k.type, value(k));
    return base;
  }
  // Another of the knob's values, uniform among the rest: draw a step other than the current one.
  const uint64_t steps = step_count(k);
  const int64_t stride = stride_of(k);
  const auto current = static_cast<uint64_t>(
      std::clamp<int64_t>((it->second - k.min) / stride, 0, static_cast<int64_t>(steps - 1)));
  uint64_t step = next() % (steps - 1);
  if (step >= current) ++step;
  it->second = k.min + static_cast<int64_t>(step) * stride;
  return base;
}

}  // namespace convprobe::cudnn
