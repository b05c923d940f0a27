#include "jobs/compare_input.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "jobs/usage_error.hpp"

namespace convprobe {

namespace {

constexpr const char* kGrammar =
    "expected RUN_ID (a run of the --db database), FILE (its latest run) or FILE:RUN_ID, e.g. 3, before.db, "
    "fleet.db:12";

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t run_id_of(std::string_view digits, const std::string& text, const char* which) {
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    throw UsageError(fmt::format("{} '{}': run id '{}' is out of range; {}", which, text, digits, kGrammar));
  }
  return id;
}

}  // namespace

RunOperand parse_run_operand(const std::string& text, const char* which) {
  if (text.empty()) throw UsageError(fmt::format("{} is empty; {}", which, kGrammar));
  RunOperand op{text, "", std::nullopt};
  if (all_digits(text)) {
    op.run_id = run_id_of(text, text, which);
    return op;
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    op.db = text;
    return op;
  }
  const std::string_view file = std::string_view(text).substr(0, colon);
  const std::string_view id = std::string_view(text).substr(colon + 1);
  if (id.empty() || file.empty()) {
    throw UsageError(fmt::format("{} '{}': {}; {}", which, text,
                                 id.empty() ? "no run id after ':'" : "no file before ':'", kGrammar));
  }
  if (!all_digits(id)) {  // a file whose name holds a ':' ("results:v2.db")
    op.db = text;
    return op;
  }
  op.db = std::string(file);
  op.run_id = run_id_of(id, text, which);
  return op;
}

double parse_threshold(const std::string& text) {
  const std::string expected = "expected a percentage from 0% to 1000%, e.g. 5% or 2.5%";
  if (text.empty() || text.back() != '%') {
    throw UsageError(fmt::format("--threshold '{}' is not a percentage; {}", text, expected));
  }
  double percent = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size() - 1;
  const auto [end, ec] = std::from_chars(first, last, percent);
  if (ec != std::errc() || end != last || first == last || !std::isfinite(percent) || percent < 0 ||
      percent > 1000) {
    throw UsageError(fmt::format("--threshold '{}': {}", text, expected));
  }
  return percent / 100;
}

void check_alpha(double alpha) {
  if (!(alpha > 0 && alpha < 1)) {
    throw UsageError(fmt::format(
        "--alpha {}: expected a significance level between 0 and 1 (exclusive), e.g. 0.05", alpha));
  }
}

}  // namespace convprobe
