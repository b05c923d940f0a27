#include "sources/problems_text.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace convprobe::sources {

namespace {

std::string comment(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return "# " + text + "\n";
}

std::string problem_line(const Problem& p) {
  // A problem only ever searched for (a Find call), never run, has no count to give.
  return p.runs > 0 ? fmt::format("{}x {}\n", p.runs, to_string(p)) : to_string(p) + "\n";
}

}  // namespace

std::string problems_file_text(const Tally& tally, const std::vector<std::string>& header) {
  std::string text;
  for (const auto& line : header) text += comment(line);
  text += comment(tally_summary(tally));
  for (const auto& [kind, n] : tally.skipped()) text += comment(fmt::format("skipped {}x {}", n, kind));
  for (const auto& r : tally.rejections())
    text += comment(fmt::format("not expressible: {}: {}", r.where, r.why));
  for (const auto& w : tally.warnings()) text += comment("warning: " + w);
  for (const auto& p : tally.problems()) text += problem_line(p);
  return text;
}

std::string tally_summary(const Tally& tally) {
  std::string text = fmt::format("{} distinct problem{}, {} run{}", tally.problems().size(),
                                 tally.problems().size() == 1 ? "" : "s", tally.total_runs(),
                                 tally.total_runs() == 1 ? "" : "s");
  int64_t skipped = 0;
  for (const auto& [kind, n] : tally.skipped()) skipped += n;
  if (skipped > 0) text += fmt::format("; {} skipped (not a convolution convprobe probes)", skipped);
  if (!tally.rejections().empty()) text += fmt::format("; {} not expressible", tally.rejections().size());
  return text;
}

}  // namespace convprobe::sources
