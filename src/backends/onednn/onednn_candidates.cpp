#include "backends/onednn/onednn_candidates.hpp"

#include <map>
#include <memory>
#include <stdexcept>

namespace convprobe::onednn {

namespace {

/// Calls visit(list, ref) for each implementation of `algo`, in oneDNN's order, until it returns false.
/// `list.pd()` is the implementation `ref` describes.
template <class Visit>
void walk_impls(ImplList& list, Algo algo, Visit&& visit) {
  if (list.empty()) return;
  std::map<std::string, int> seen;
  int index = 0;
  do {
    ImplRef ref{algo, list.pd().impl_info_str(), 0, index++};
    ref.occurrence = ++seen[ref.impl];
    if (!visit(ref)) return;
  } while (list.next());
}

/// The ISA an implementation name ends with ("jit:avx2" -> "avx2"), or empty ("x64:gemm:jit", "ref:any").
/// The policy maps failing ISA-specific implementations to ONEDNN_MAX_CPU_ISA.
std::string isa_of(std::string_view impl) {
  const auto colon = impl.rfind(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view tail = impl.substr(colon + 1);
  for (std::string_view prefix : {"sse", "avx", "amx"}) {
    if (tail.starts_with(prefix)) return std::string(tail);
  }
  return {};
}

std::string candidate_id(const ImplRef& ref) {
  // Appends rather than operator+ chains: GCC 12 -O3 reports a false -Wrestrict on the latter.
  std::string id(to_string(ref.algo));
  id += ':';
  id += ref.impl;
  if (ref.occurrence > 1) {
    id += '#';
    id += std::to_string(ref.occurrence);
  }
  return id;
}

bool parse_int(const std::string& s, int* out) {
  try {
    size_t used = 0;
    *out = std::stoi(s, &used);
    return used == s.size();
  } catch (const std::exception&) {
    return false;
  }
}

/// Reads "<algo>:<impl>[#n]" (the id form).
bool parse_id(const std::string& id, ImplRef* out) {
  const auto colon = id.find(':');
  if (colon == std::string::npos || !algo_from_string(std::string_view(id).substr(0, colon), &out->algo)) {
    return false;
  }
  std::string rest = id.substr(colon + 1);
  out->occurrence = 1;
  const auto hash = rest.rfind('#');
  if (hash != std::string::npos) {
    if (!parse_int(rest.substr(hash + 1), &out->occurrence) || out->occurrence < 2) return false;
    rest.resize(hash);
  }
  out->impl = rest;
  return !rest.empty();
}

}  // namespace

std::vector<ImplRef> list_impls(const Problem& p, const dnnl::engine& engine) {
  if (const std::string why = validate(p); !why.empty()) throw std::runtime_error(why);
  std::vector<ImplRef> out;
  for (Algo algo : kAlgos) {
    try {
      ImplList list(p, algo, engine);
      walk_impls(list, algo, [&](const ImplRef& ref) {
        out.push_back(ref);
        return true;
      });
    } catch (const dnnl::error& e) {
      throw std::runtime_error("oneDNN rejected " + to_string(p) + " (algorithm " +
                               std::string(to_string(algo)) + "): " + status_name(e.status) + ": " +
                               e.what());
    }
  }
  return out;
}

std::string family_of(std::string_view impl) {
  if (impl.find("wino") != std::string_view::npos) return "winograd";
  if (impl.find("gemm") != std::string_view::npos) return "gemm";  // x64:gemm:jit; brgconv is a direct conv
  if (impl.starts_with("ref")) return "reference";
  return "direct";
}

Candidate to_candidate(const ImplRef& ref) {
  Candidate c;
  c.id = candidate_id(ref);
  c.family = family_of(ref.impl);
  c.attrs["algorithm"] = std::string(to_string(ref.algo));
  c.attrs["impl"] = ref.impl;
  c.attrs["occurrence"] = std::to_string(ref.occurrence);
  c.attrs["index"] = std::to_string(ref.index);
  if (std::string isa = isa_of(ref.impl); !isa.empty()) c.attrs["isa"] = isa;
  return c;
}

bool from_candidate(const Candidate& c, ImplRef* out, std::string* err) {
  const auto attr = [&](const char* key) -> const std::string* {
    const auto it = c.attrs.find(key);
    return it == c.attrs.end() ? nullptr : &it->second;
  };
  const std::string* algo = attr("algorithm");
  const std::string* impl = attr("impl");
  if (algo != nullptr && impl != nullptr) {
    if (!algo_from_string(*algo, &out->algo)) {
      *err = "candidate attr algorithm='" + *algo + "': expected direct, winograd or auto";
      return false;
    }
    out->impl = *impl;
    out->occurrence = 1;
    if (const std::string* occ = attr("occurrence");
        occ != nullptr && (!parse_int(*occ, &out->occurrence) || out->occurrence < 1)) {
      *err = "candidate attr occurrence='" + *occ + "': expected a positive integer";
      return false;
    }
    return true;
  }
  if (parse_id(c.id, out)) return true;
  *err = "candidate id '" + c.id + "': expected <direct|winograd|auto>:<oneDNN implementation>[#n]";
  return false;
}

std::unique_ptr<ImplList> select_impl(const Problem& p, const ImplRef& ref, const dnnl::engine& engine) {
  auto list = std::make_unique<ImplList>(p, ref.algo, engine);
  bool found = false;
  walk_impls(*list, ref.algo, [&](const ImplRef& here) {
    found = here.impl == ref.impl && here.occurrence == ref.occurrence;
    return !found;
  });
  if (!found) list.reset();
  return list;
}

}  // namespace convprobe::onednn
