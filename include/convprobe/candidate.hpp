// A candidate: one way a backend can compute a problem. Stateless; its id is stored and is never renamed or
// reused (MIOpen's rule for solver ids), so policies written today still name the same thing tomorrow.
#pragma once

#include <map>
#include <string>

namespace convprobe {

struct Candidate {
  /// Stable id, unique within a backend for a problem, e.g. "jit:avx2", "fault.hang@hw>42",
  /// "ConvFwd_eng67_k2=5_k13=0" (cudnn-frontend plan tag), "miopen.91.GemmFwdRest".
  std::string id;
  /// Algorithm family: gemm, direct, winograd, implicit_gemm, fft, engine, legacy, reference, fault, ...
  /// src/policy maps it to framework switches (e.g. MIOPEN_DEBUG_CONV_<FAMILY>).
  std::string family;
  /// Numerical and behaviour notes, comma-separated (tensor_core, down_convert, nondeterministic,
  /// runtime_compilation, ...). A down_convert candidate is judged by TF32 thresholds.
  std::string notes;
  /// Backend-specific attributes needed to rebuild the candidate in another process (engine index, knobs,
  /// solver id, ...). Round-trips through the worker protocol and the store.
  std::map<std::string, std::string> attrs;

  [[nodiscard]] bool has_note(const std::string& note) const;
  friend bool operator==(const Candidate& a, const Candidate& b) = default;
};

/// Glob match with '*' and '?' (used by --candidates PATTERNS and results filters).
[[nodiscard]] bool glob_match(const std::string& pattern, const std::string& text);
/// True if `id` matches any comma-separated glob in `patterns` (an empty pattern list matches everything).
[[nodiscard]] bool matches_any(const std::string& patterns, const std::string& id);

}  // namespace convprobe
