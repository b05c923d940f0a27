// Random knob configurations for cuDNN engines (docs/cudnn.md, `--knob-samples`): uniform draws and draws one
// knob away from a configuration known to be valid, seeded per engine so that a listing is reproducible. No
// cuDNN dependency: the rules are tested on the CPU; which draws cuDNN accepts is learnt by finalizing them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace convprobe::cudnn {

using KnobChoices = std::vector<std::pair<int64_t, int64_t>>;  ///< (knob type, value), in config order

/// A knob as KNOB_INFO describes it: values min, min + stride, ... up to max.
struct KnobInfo {
  int64_t type = 0, min = 0, max = 0, stride = 1;
};

/// Draws per wanted sample, at most: the first half uniform, the rest one knob away from a valid config.
inline constexpr int kDrawsPerSample = 4;

class KnobSampler {
 public:
  /// The stream of one engine: the same (seed, engine) always draws the same configurations.
  KnobSampler(uint64_t seed, int64_t engine);

  /// Uniform in [0, n) (n > 0).
  size_t below(size_t n);
  /// A value of `k`, uniform over its stride steps (a stride below 1 counts as 1).
  int64_t value(const KnobInfo& k);
  /// Every knob of `knobs` drawn uniformly, in their order.
  KnobChoices uniform(const std::vector<KnobInfo>& knobs);
  /// `base` with one knob that can take two or more values set to another of them (added when `base` leaves
  /// it at its default). `base` unchanged when no knob can vary.
  KnobChoices one_knob_away(KnobChoices base, const std::vector<KnobInfo>& knobs);

 private:
  uint64_t next();
  uint64_t state_;
};

}  // namespace convprobe::cudnn
