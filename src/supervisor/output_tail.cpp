#include "supervisor/output_tail.hpp"

namespace convprobe {

void OutputTail::append(std::string_view bytes) {
  for (char c : bytes) {
    if (c == '\n') {
      push_line(std::move(partial_));
      partial_.clear();
    } else if (c != '\r' && partial_.size() < max_line_bytes_) {
      partial_ += c;
    }
  }
}

void OutputTail::push_line(std::string line) {
  if (line.empty()) return;  // blank lines carry nothing for a verdict's detail
  lines_.push_back(std::move(line));
  while (lines_.size() > max_lines_) lines_.pop_front();
}

std::string OutputTail::text() const {
  std::string out;
  const size_t skip = (!partial_.empty() && lines_.size() == max_lines_) ? 1 : 0;
  for (size_t i = skip; i < lines_.size(); ++i) out += (out.empty() ? "" : "\n") + lines_[i];
  if (!partial_.empty()) out += (out.empty() ? "" : "\n") + partial_;
  return out;
}

}  // namespace convprobe
