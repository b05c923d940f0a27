// What may be written into a shell profile or taken from a policy file. Problem labels, paths and backend
// details are free text from users and libraries: they only ever reach a profile inside a comment, after
// sanitize_comment, and environment names and values are checked against whitelists before they are written
// or applied.
#pragma once

#include <string>
#include <string_view>

#include "base/text.hpp"  // valid_env_name

namespace convprobe {

/// One line of printable ASCII, safe after '#' in a POSIX shell: control characters (newline, CR, ...) and
/// non-ASCII bytes become '?', so nothing can end the comment. Truncated to max_len characters ("...").
[[nodiscard]] std::string sanitize_comment(std::string_view text, size_t max_len = 200);

/// Printable ASCII without shell-special characters ([A-Za-z0-9_.,:/=+@%-]*): safe unquoted in a profile.
/// Values that are paths or free text must be written with shell_quote instead.
[[nodiscard]] bool plain_env_value(std::string_view value);

/// No control characters (NUL, newline, ...): a value that can be passed through an environment at all.
[[nodiscard]] bool valid_env_value(std::string_view value);

}  // namespace convprobe
