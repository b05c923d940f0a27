// A plain column-aligned text table for terminal output.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace convprobe {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  /// A full-width line between rows (e.g. a problem heading).
  void add_heading(std::string text) {
    rows_.push_back({std::move(text)}), headings_.push_back(rows_.size() - 1);
  }
  void print(FILE* out) const;
  [[nodiscard]] bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> headings_;
};

}  // namespace convprobe
