// Enumerating oneDNN's convolution implementations as convprobe candidates, and finding a candidate's
// implementation again in another process.
//
// Candidate id: "<algorithm>:<impl_info_str>", e.g. "direct:jit:avx2", "winograd:jit_wino_4x3:avx512_core",
// "auto:x64:gemm:jit"; a name that occurs more than once in one algorithm's list gets "#<n>" (n >= 2) on its
// second and later occurrences. The same implementation reached through two algorithms is two candidates on
// purpose: they are two ways a user can ask for it. Ids depend only on oneDNN's names, so they are stable
// across runs and machines with the same oneDNN and ISA.
#pragma once

#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "backends/onednn/onednn_desc.hpp"
#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"

namespace convprobe::onednn {

/// Where an implementation sits in oneDNN's list for one algorithm.
struct ImplRef {
  Algo algo = Algo::direct;
  std::string impl;    ///< impl_info_str(), e.g. "jit:avx2"
  int occurrence = 1;  ///< 1 for the first implementation of that name in the list, 2 for the next, ...
  int index = 0;       ///< position in the list (informational: lists differ between ISAs)
};

/// Every implementation oneDNN offers for the problem, for each algorithm in turn, in oneDNN's order.
/// Empty for tf32 (not expressible in oneDNN 2.6) and for types the CPU has no kernel for (f16).
/// Throws std::runtime_error when the problem is invalid or oneDNN rejects its shape.
[[nodiscard]] std::vector<ImplRef> list_impls(const Problem& p, const dnnl::engine& engine);

/// Algorithm family of an implementation name: winograd, gemm, reference or direct.
[[nodiscard]] std::string family_of(std::string_view impl);

[[nodiscard]] Candidate to_candidate(const ImplRef& ref);
/// Reads a candidate back (attrs first; the id alone suffices). False with *err when neither parses.
bool from_candidate(const Candidate& c, ImplRef* out, std::string* err);

/// oneDNN's list positioned at the candidate's implementation (`->pd()`), or nullptr when oneDNN no longer
/// offers it for this problem (another ISA limit, another oneDNN). Keep the list alive while using its pd.
[[nodiscard]] std::unique_ptr<ImplList> select_impl(const Problem& p, const ImplRef& ref,
                                                    const dnnl::engine& engine);

}  // namespace convprobe::onednn
