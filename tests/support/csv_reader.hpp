// A tiny RFC 4180 reader for tests: records end with CRLF, a quoted field may hold commas, CR, LF and doubled
// quotes. Strict on purpose: a bare LF ending a record, or text after a closing quote, fails the test's
// parse.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace convprobe::test {

using CsvRecord = std::vector<std::string>;

/// The records of `text`, or nullopt when it is not RFC 4180 with CRLF line ends.
inline std::optional<std::vector<CsvRecord>> parse_csv(const std::string& text) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) return std::nullopt;  // unterminated quote
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\r') return std::nullopt;
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n' && text[i] != '"') {
        field += text[i++];
      }
      if (i < text.size() && (text[i] == '\n' || text[i] == '"')) return std::nullopt;
    }
    if (i >= text.size()) return std::nullopt;  // the last record must end with CRLF
    record.push_back(std::move(field));
    field.clear();
    if (text[i] == ',') {
      ++i;
      continue;
    }
    if (i + 1 >= text.size() || text[i + 1] != '\n') return std::nullopt;  // CR without LF
    i += 2;
    records.push_back(std::move(record));
    record.clear();
  }
  return records;
}

}  // namespace convprobe::test
