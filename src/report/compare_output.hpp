// The printers of `convprobe compare` (docs/compare.md): the terminal table, one JSON document
// (docs/json-schema.md, opening with document_header()) and Markdown for a pull request or a ticket. Each
// shows the same Comparison in the same order: verdict changes first, then appearances, best candidates,
// timed pairs, geometric means, fingerprint differences and the result.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "report/comparison.hpp"

namespace convprobe {

void print_comparison_table(FILE* out, const Comparison& c);

[[nodiscard]] nlohmann::json comparison_json(const Comparison& c);
/// To a file, or to stdout for "-". Throws std::runtime_error naming the path on failure.
void write_comparison_json(const std::string& path, const Comparison& c);

[[nodiscard]] std::string comparison_markdown(const Comparison& c);
/// To a file, or to stdout for "-". Throws std::runtime_error naming the path on failure.
void write_comparison_markdown(const std::string& path, const Comparison& c);

}  // namespace convprobe
