// Bytes arriving in arbitrary pieces (a pipe, a growing file) cut into whole lines, without the '\n'.
#pragma once

#include <string>
#include <string_view>

namespace convprobe {

class LineSplitter {
 public:
  /// Calls `on_line(std::string_view)` for every line `bytes` completes; keeps the unfinished rest.
  template <typename OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    size_t start = 0;
    for (size_t nl = bytes.find('\n'); nl != std::string_view::npos; nl = bytes.find('\n', start)) {
      if (pending_.empty()) {
        on_line(bytes.substr(start, nl - start));
      } else {
        pending_.append(bytes.substr(start, nl - start));
        on_line(std::string_view(pending_));
        pending_.clear();
      }
      start = nl + 1;
    }
    pending_.append(bytes.substr(start));
  }
  /// The last line, when the input ended without a '\n'.
  template <typename OnLine>
  void finish(OnLine&& on_line) {
    if (!pending_.empty()) on_line(std::string_view(pending_));
    pending_.clear();
  }

 private:
  std::string pending_;
};

}  // namespace convprobe
