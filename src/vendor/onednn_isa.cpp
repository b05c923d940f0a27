#include "vendor/onednn_isa.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <vector>

#include "base/text.hpp"

namespace convprobe {

namespace {

// Documented values (oneDNN 2.6, src/cpu/x64/cpu_isa_traits.cpp), and for each the implementation ISAs it
// keeps. avx2_vnni is a side branch of the chain: counted in the VNNI-capable AVX-512 caps and above, not in
// plain avx512_core (conservative: a failing avx2_vnni kernel is capped at avx512_core).
const std::map<std::string, std::set<std::string>>& allowed_by_cap() {
  static const std::map<std::string, std::set<std::string>> table = [] {
    std::map<std::string, std::set<std::string>> t;
    t["sse41"] = {"sse41"};
    t["avx"] = {"sse41", "avx"};
    t["avx2"] = {"sse41", "avx", "avx2"};
    t["avx2_vnni"] = {"sse41", "avx", "avx2", "avx2_vnni"};
    t["avx512_core"] = {"sse41", "avx", "avx2", "avx512_core"};
    t["avx512_core_vnni"] = {"sse41", "avx", "avx2", "avx2_vnni", "avx512_core", "avx512_core_vnni"};
    t["avx512_core_bf16"] = t["avx512_core_vnni"];
    t["avx512_core_bf16"].insert("avx512_core_bf16");
    t["avx512_core_amx"] = t["avx512_core_bf16"];
    t["avx512_core_amx"].insert("avx512_core_amx");
    return t;
  }();
  return table;
}

// Caps tried from the most to the least permissive. avx2_vnni is not offered as a cap below AVX-512: on an
// AVX-512 machine it would be an odd, easily misread choice; avx2 says what is meant.
constexpr std::array<const char*, 7> kCapOrder = {
    "avx512_core_amx", "avx512_core_bf16", "avx512_core_vnni", "avx512_core", "avx2", "avx", "sse41"};

/// An ISA token of an implementation name mapped onto a documented value ("avx512_core_bf16_amx_bf16" ->
/// "avx512_core_amx", "avx512_core_bf16_ymm" -> "avx512_core_bf16").
std::optional<std::string> token_isa(const std::string& token) {
  const auto& table = allowed_by_cap();
  if (table.count(token)) return token;
  if (token.rfind("avx512_core", 0) == 0 && token.find("amx") != std::string::npos) return "avx512_core_amx";
  std::string best;
  for (const auto& [name, allowed] : table) {
    if (token.rfind(name + "_", 0) == 0 && name.size() > best.size()) best = name;
  }
  if (!best.empty()) return best;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> onednn_impl_isa(std::string_view id) {
  std::string text = lower(id);
  if (const auto hash = text.find('#'); hash != std::string::npos) text.resize(hash);
  std::optional<std::string> found;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(':', start);
    if (end == std::string::npos) end = text.size();
    if (auto isa = token_isa(text.substr(start, end - start))) found = isa;  // the last ISA token wins
    start = end + 1;
  }
  return found;
}

bool onednn_isa_allowed(const std::string& isa, const std::string& cap) {
  if (cap == "all") return true;
  const auto it = allowed_by_cap().find(cap);
  return it == allowed_by_cap().end() || it->second.count(isa) > 0;
}

std::optional<std::string> onednn_cap_below(const std::set<std::string>& failing_isas) {
  for (const char* cap : kCapOrder) {
    const auto& allowed = allowed_by_cap().at(cap);
    const bool clear = std::none_of(failing_isas.begin(), failing_isas.end(),
                                    [&](const std::string& isa) { return allowed.count(isa) > 0; });
    if (clear) return std::string(cap);
  }
  return std::nullopt;
}

bool onednn_documented_isa(std::string_view value, std::string* canonical) {
  const std::string v = lower(value);
  if (v != "all" && !allowed_by_cap().count(v)) return false;
  if (canonical) *canonical = v;
  return true;
}

}  // namespace convprobe
