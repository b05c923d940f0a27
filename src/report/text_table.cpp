#include "report/text_table.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace convprobe {

void TextTable::print(FILE* out) const {
  std::vector<size_t> width(header_.size(), 0);
  for (size_t i = 0; i < header_.size(); ++i) width[i] = header_[i].size();
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (std::find(headings_.begin(), headings_.end(), r) != headings_.end()) continue;
    for (size_t i = 0; i < rows_[r].size() && i < width.size(); ++i)
      width[i] = std::max(width[i], rows_[r][i].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      // The last column is free text (details): no padding after it.
      line += (i + 1 == row.size()) ? row[i] : fmt::format("{:<{}}  ", row[i], width[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print(out, "{}\n", line);
  };
  print_row(header_);
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (std::find(headings_.begin(), headings_.end(), r) != headings_.end()) {
      fmt::print(out, "{}\n", rows_[r][0]);
    } else {
      print_row(rows_[r]);
    }
  }
}

}  // namespace convprobe
