#include "backend_descriptor.hpp"

#include <utility>

#include "cuda_status.hpp"

namespace convprobe::cudnn {

BackendDescriptor::BackendDescriptor(cudnnBackendDescriptorType_t type) {
  check_cudnn(cudnnBackendCreateDescriptor(type, &d_),
              "cudnnBackendCreateDescriptor(" + std::to_string(type) + ")");
}

BackendDescriptor::~BackendDescriptor() {
  if (d_ != nullptr) cudnnBackendDestroyDescriptor(d_);
}

BackendDescriptor::BackendDescriptor(BackendDescriptor&& o) noexcept : d_(std::exchange(o.d_, nullptr)) {}

BackendDescriptor& BackendDescriptor::operator=(BackendDescriptor&& o) noexcept {
  if (this != &o) {
    if (d_ != nullptr) cudnnBackendDestroyDescriptor(d_);
    d_ = std::exchange(o.d_, nullptr);
  }
  return *this;
}

void BackendDescriptor::set(cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type, int64_t count,
                            const void* values) {
  check_cudnn(cudnnBackendSetAttribute(d_, name, type, count, values),
              "cudnnBackendSetAttribute(attribute " + std::to_string(name) + ")");
}

void BackendDescriptor::finalize(const std::string& what) { check_cudnn(cudnnBackendFinalize(d_), what); }

cudnnStatus_t BackendDescriptor::try_finalize() { return cudnnBackendFinalize(d_); }

cudnnStatus_t BackendDescriptor::get_attr(cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type,
                                          int64_t requested, int64_t* count, void* values) const {
  return cudnnBackendGetAttribute(d_, name, type, requested, count, values);
}

int64_t BackendDescriptor::get_int64(cudnnBackendAttributeName_t name) const {
  int64_t v = 0, n = 0;
  check_cudnn(get_attr(name, CUDNN_TYPE_INT64, 1, &n, &v),
              "cudnnBackendGetAttribute(" + std::to_string(name) + ")");
  return v;
}

std::vector<BackendDescriptor> make_descriptors(cudnnBackendDescriptorType_t type, size_t n) {
  std::vector<BackendDescriptor> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(type);
  return out;
}

std::vector<cudnnBackendDescriptor_t> raw(const std::vector<BackendDescriptor>& ds) {
  std::vector<cudnnBackendDescriptor_t> out;
  out.reserve(ds.size());
  for (const auto& d : ds) out.push_back(d.get());
  return out;
}

}  // namespace convprobe::cudnn
