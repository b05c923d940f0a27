// convprobe's storage types as cuDNN data types (tf32 is f32 storage: TF32 is a math mode in cuDNN).
#pragma once

#include <cudnn.h>

#include "convprobe/problem.hpp"

namespace convprobe::cudnn {

[[nodiscard]] inline cudnnDataType_t data_type(DataType t) {
  switch (t) {
    case DataType::f16:
      return CUDNN_DATA_HALF;
    case DataType::bf16:
      return CUDNN_DATA_BFLOAT16;
    default:
      return CUDNN_DATA_FLOAT;
  }
}

/// cuDNN's convolutions are 2-D or 3-D: a 1-D problem runs as 2-D with H = 1 (its h axis already holds the
/// neutral extents 1, 1, 1 and no padding), as PyTorch runs conv1d on cuDNN. Candidates say so in their
/// notes.
[[nodiscard]] inline Problem as_2d_at_least(Problem p) {
  if (p.spatial_dims == 1) p.spatial_dims = 2;
  return p;
}

}  // namespace convprobe::cudnn
