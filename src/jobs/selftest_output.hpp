// What `selftest` shows: one row per fault candidate (its verdicts over the preset's problems, expected vs
// got), the mismatches in detail and a verdict line; or one JSON document {"selftest": {...}}.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "jobs/selftest.hpp"

namespace convprobe {

void print_selftest(FILE* out, const SelftestReport& report);
[[nodiscard]] nlohmann::json selftest_document(const SelftestReport& report, const SelftestOptions& options);
/// The document to a file, or to stdout for "-". Throws std::runtime_error "cannot write PATH".
void write_selftest_document(const std::string& path, const nlohmann::json& doc);

}  // namespace convprobe
