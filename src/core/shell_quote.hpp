// POSIX shell quoting, for repro commands and recorded command lines: the result is always one word.
#pragma once

#include <string>

namespace convprobe {

/// 'text' with embedded single quotes as '\'' ; bare when the text has only safe characters.
[[nodiscard]] inline std::string shell_quote(const std::string& text) {
  bool safe = !text.empty();
  for (char ch : text) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '_' || ch == '-' || ch == '.' || ch == '/' || ch == ',' || ch == ':' || ch == '=' ||
                    ch == '@' || ch == '+' || ch == '%';
    if (!ok) {
      safe = false;
      break;
    }
  }
  if (safe) return text;
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

}  // namespace convprobe
