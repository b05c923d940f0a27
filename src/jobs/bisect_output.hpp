// What `bisect` shows of its report: a headline ("fault.hang@hw>42: PASS at hw<=42, HANG at hw>=43") with the
// boundary's two sides, or one JSON document (docs/json-schema.md) with every probe.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "jobs/bisect.hpp"

namespace convprobe {

/// A boundary, or a verdict that does not change: exit 0. Non-monotone or unstable verdicts: exit 1.
[[nodiscard]] bool bisect_ok(const BisectReport& r);
[[nodiscard]] std::string bisect_headline(const BisectReport& r);
void print_bisect(FILE* out, const BisectReport& r);
[[nodiscard]] nlohmann::json bisect_document(const BisectReport& r);

}  // namespace convprobe
