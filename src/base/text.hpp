// Text helpers every room uses: whitespace, separated lists, joining, case, environment variable names. They
// live here once, in the room below every other (docs/design.md, "The base room"), so that no room keeps a
// copy of its own that drifts from the others.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace convprobe {

/// ' ', '\t', '\r', '\n', '\v' or '\f' (the C locale's isspace, without the locale).
[[nodiscard]] constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/// `s` without leading and trailing whitespace (a view into `s`).
[[nodiscard]] std::string_view trim(std::string_view s);

/// The words of `s`, separated by any run of whitespace; no empty words. Views into `s`.
[[nodiscard]] std::vector<std::string_view> split_whitespace(std::string_view s);

/// Every item of a separated list ("0,1", "jit:*,gemm*", PATH-like strings), empty ones included, so callers
/// decide whether an empty item is an error or is skipped: "a,b" → {"a", "b"}; "" → {""}; "a," → {"a", ""}.
/// Views into `text`.
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view text, char separator);

/// The items with `separator` between them: {"a", "b"}, ", " → "a, b"; {} → "".
[[nodiscard]] std::string join(const std::vector<std::string>& items, std::string_view separator);

/// A list for a message: "a, b, c", at most `max_items` of them and then ", ... (12 in all)"; "none" when
/// there is nothing.
[[nodiscard]] std::string join_for_message(const std::vector<std::string>& items, size_t max_items = 8);

/// ASCII lower case; other bytes unchanged.
[[nodiscard]] std::string lower(std::string_view s);

/// Equal but for ASCII case.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

/// [A-Za-z_][A-Za-z0-9_]* : a name `export` accepts, and the only names convprobe sets in an environment.
[[nodiscard]] bool valid_env_name(std::string_view name);

/// Every byte of the file at `path`; empty when it is missing or unreadable (callers compare snapshots).
[[nodiscard]] std::string file_bytes(const std::string& path);

}  // namespace convprobe
