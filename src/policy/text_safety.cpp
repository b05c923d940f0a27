#include "policy/text_safety.hpp"

#include <algorithm>

namespace convprobe {

std::string sanitize_comment(std::string_view text, size_t max_len) {
  std::string out;
  out.reserve(std::min(text.size(), max_len));
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    out += (byte >= 0x20 && byte < 0x7f) ? ch : '?';
  }
  if (out.size() > max_len) out = out.substr(0, max_len > 3 ? max_len - 3 : 0) + "...";
  return out;
}

bool plain_env_value(std::string_view value) {
  for (char ch : value) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '_' || ch == '.' || ch == ',' || ch == ':' || ch == '/' || ch == '=' || ch == '+' ||
                    ch == '@' || ch == '%' || ch == '-';
    if (!ok) return false;
  }
  return true;
}

bool valid_env_value(std::string_view value) {
  for (char ch : value) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) return false;
  }
  return true;
}

}  // namespace convprobe
