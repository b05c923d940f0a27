#include "core/tensor.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/float16.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"

namespace convprobe {

namespace {

// Poison: quiet NaNs with a payload no arithmetic produces (a computed NaN carries the default payload), so
// an untouched element is told apart from a NaN the kernel wrote.
constexpr uint32_t kPoisonF32 = 0x7fc0deadu;
constexpr uint16_t kPoisonF16 = 0x7eadu;   // exponent all ones, quiet bit 0x200, payload 0xad
constexpr uint16_t kPoisonBf16 = 0x7fedu;  // exponent all ones, quiet bit 0x40, payload 0x2d

bool is_16bit(DataType t) { return t == DataType::f16 || t == DataType::bf16; }

// Elements per parallel chunk for the memory-bound fills: big enough that threads don't fight over lines.
constexpr int64_t kFillChunk = int64_t{1} << 16;

}  // namespace

TensorDims dims_of(const Problem& p, TensorRole role) {
  TensorDims d;
  d.channels_last = p.layout == Layout::nhwc;
  switch (role) {
    case TensorRole::src:
      d.n = p.mb, d.c = p.ic, d.d = p.in[0], d.h = p.in[1], d.w = p.in[2];
      break;
    case TensorRole::wei:
      d.n = p.oc, d.c = p.g > 0 ? p.ic / p.g : 0, d.d = p.kernel[0], d.h = p.kernel[1], d.w = p.kernel[2];
      break;
    case TensorRole::dst: {
      const auto o = p.out();
      d.n = p.mb, d.c = p.oc, d.d = o[0], d.h = o[1], d.w = o[2];
      break;
    }
  }
  return d;
}

TensorRole output_role(Direction dir) {
  switch (dir) {
    case Direction::fwd:
      return TensorRole::dst;
    case Direction::bwd_data:
      return TensorRole::src;
    case Direction::bwd_weights:
      return TensorRole::wei;
  }
  return TensorRole::dst;
}

HostTensor::HostTensor(DataType type, TensorDims dims) : type_(type), dims_(dims) {
  if (dims.n < 0 || dims.c < 0 || dims.d < 0 || dims.h < 0 || dims.w < 0) {
    throw std::invalid_argument("HostTensor: negative extent in dims " + std::to_string(dims.n) + "x" +
                                std::to_string(dims.c) + "x" + std::to_string(dims.d) + "x" +
                                std::to_string(dims.h) + "x" + std::to_string(dims.w));
  }
  data_.resize(static_cast<size_t>(dims.elems()) * static_cast<size_t>(element_size(type)));
}

double HostTensor::get(int64_t i) const {
  const std::byte* p = data_.data();
  switch (type_) {
    case DataType::f32:
    case DataType::tf32:
      return reinterpret_cast<const float*>(p)[i];
    case DataType::f16:
      return detail::half_bits_to_float(reinterpret_cast<const uint16_t*>(p)[i]);
    case DataType::bf16:
      return detail::bf16_bits_to_float(reinterpret_cast<const uint16_t*>(p)[i]);
  }
  return 0;
}

void HostTensor::set(int64_t i, double v) {
  std::byte* p = data_.data();
  const auto f = static_cast<float>(v);
  switch (type_) {
    case DataType::f32:
    case DataType::tf32:
      reinterpret_cast<float*>(p)[i] = f;
      break;
    case DataType::f16:
      reinterpret_cast<uint16_t*>(p)[i] = detail::float_to_half_bits(f);
      break;
    case DataType::bf16:
      reinterpret_cast<uint16_t*>(p)[i] = detail::float_to_bf16_bits(f);
      break;
  }
}

void HostTensor::fill_random(uint64_t seed) {
  const uint64_t stream = detail::splitmix64(seed);
  const DataType type = type_;
  std::byte* p = data_.data();
  detail::parallel_for(
      elems(), 0,
      [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          // Each element is a function of (seed, position): the fill is the same for any thread count.
          const float v = static_cast<float>(detail::random_nonzero(stream, static_cast<uint64_t>(i)));
          // Rounded to the storage type here, so get() returns exactly the value every backend sees.
          switch (type) {
            case DataType::f32:
            case DataType::tf32:
              reinterpret_cast<float*>(p)[i] = v;
              break;
            case DataType::f16:
              reinterpret_cast<uint16_t*>(p)[i] = detail::float_to_half_bits(v);
              break;
            case DataType::bf16:
              reinterpret_cast<uint16_t*>(p)[i] = detail::float_to_bf16_bits(v);
              break;
          }
        }
      },
      kFillChunk);
}

void HostTensor::poison() {
  std::byte* p = data_.data();
  const bool half = is_16bit(type_);
  const uint16_t pattern16 = type_ == DataType::f16 ? kPoisonF16 : kPoisonBf16;
  detail::parallel_for(
      elems(), 0,
      [&](int64_t begin, int64_t end) {
        if (half) {
          std::fill(reinterpret_cast<uint16_t*>(p) + begin, reinterpret_cast<uint16_t*>(p) + end, pattern16);
        } else {
          std::fill(reinterpret_cast<uint32_t*>(p) + begin, reinterpret_cast<uint32_t*>(p) + end, kPoisonF32);
        }
      },
      kFillChunk);
}

bool HostTensor::is_poison(int64_t i) const {
  switch (type_) {
    case DataType::f32:
    case DataType::tf32:
      return reinterpret_cast<const uint32_t*>(data_.data())[i] == kPoisonF32;
    case DataType::f16:
      return reinterpret_cast<const uint16_t*>(data_.data())[i] == kPoisonF16;
    case DataType::bf16:
      return reinterpret_cast<const uint16_t*>(data_.data())[i] == kPoisonBf16;
  }
  return false;
}

ConvTensors make_tensors(const Problem& p, uint64_t seed) {
  ConvTensors t;
  t.src = HostTensor(p.type, dims_of(p, TensorRole::src));
  t.wei = HostTensor(p.type, dims_of(p, TensorRole::wei));
  t.dst = HostTensor(p.type, dims_of(p, TensorRole::dst));
  const TensorRole out = output_role(p.dir);
  for (TensorRole role : {TensorRole::src, TensorRole::wei, TensorRole::dst}) {
    if (role == out) {
      t.get(role).poison();
    } else {
      // A different stream per role, so x and w (or x and dy) are not the same numbers.
      t.get(role).fill_random(detail::splitmix64(seed ^ (0x5bd1e995ull * (static_cast<uint64_t>(role) + 1))));
    }
  }
  return t;
}

uint16_t float_to_half(float f) { return detail::float_to_half_bits(f); }
float half_to_float(uint16_t h) { return detail::half_bits_to_float(h); }
uint16_t float_to_bf16(float f) { return detail::float_to_bf16_bits(f); }
float bf16_to_float(uint16_t b) { return detail::bf16_bits_to_float(b); }

}  // namespace convprobe
