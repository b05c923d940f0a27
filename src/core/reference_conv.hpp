// fp64 direct convolution: ground truth for every backend, all three directions, all parameters.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace convprobe {

/// The whole output of p.dir in fp64, indexed like the output tensor's physical layout.
/// Uses every core (std::thread over output slices). `threads` <= 0: hardware concurrency.
void reference_full(const Problem& p, const ConvTensors& t, std::vector<double>* out, int threads = 0);

/// One output element (physical offset into the output tensor) in fp64.
[[nodiscard]] double reference_at(const Problem& p, const ConvTensors& t, int64_t out_offset);

}  // namespace convprobe
