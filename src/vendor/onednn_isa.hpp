// oneDNN's documented ONEDNN_MAX_CPU_ISA values and which implementation ISAs each one still allows, so that
// a failing ISA-specific implementation ("direct:jit:avx512_core") can be capped away and `verify` can check
// that the cap took effect (oneDNN silently ignores a value it does not know).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace convprobe {

/// The ISA named in a oneDNN candidate id or implementation name ("direct:jit:avx512_core#2" ->
/// "avx512_core", "auto:brg:avx512_core_amx" -> "avx512_core_amx"), lower case; nullopt when the
/// implementation is not ISA-specific (gemm, ref) or names an ISA that has no documented cap value.
[[nodiscard]] std::optional<std::string> onednn_impl_isa(std::string_view id);

/// True if an implementation of `isa` may still run under ONEDNN_MAX_CPU_ISA=`cap` (both lower case;
/// "all" allows everything).
[[nodiscard]] bool onednn_isa_allowed(const std::string& isa, const std::string& cap);

/// The highest documented cap under which none of `failing_isas` may run; nullopt if even sse41 is failing.
[[nodiscard]] std::optional<std::string> onednn_cap_below(const std::set<std::string>& failing_isas);

/// Is `value` one of the documented values (case-insensitive)? Returns the lower-case form in *canonical.
bool onednn_documented_isa(std::string_view value, std::string* canonical);

}  // namespace convprobe
