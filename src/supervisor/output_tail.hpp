// The last lines a worker wrote to stderr, kept for the detail of a CRASH or HANG verdict. Bounded in lines
// and in bytes per line, so a worker that prints megabytes costs nothing.
#pragma once

#include <deque>
#include <string>
#include <string_view>

namespace convprobe {

class OutputTail {
 public:
  explicit OutputTail(size_t max_lines = 20, size_t max_line_bytes = 400)
      : max_lines_(max_lines), max_line_bytes_(max_line_bytes) {}
  /// Feed raw bytes as they arrive (lines may be split across calls).
  void append(std::string_view bytes);
  /// The kept lines (a trailing partial line included), oldest first, joined with '\n'. Empty if none.
  [[nodiscard]] std::string text() const;
  [[nodiscard]] size_t lines() const { return lines_.size() + (partial_.empty() ? 0 : 1); }

 private:
  void push_line(std::string line);
  size_t max_lines_;
  size_t max_line_bytes_;
  std::deque<std::string> lines_;
  std::string partial_;
};

}  // namespace convprobe
