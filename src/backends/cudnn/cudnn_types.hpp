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

}  // namespace convprobe::cudnn
