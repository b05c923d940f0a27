// torch_record_convert FILE.json: the recorder's JSON as a problems file on stdout ("<runs>x <descriptor>",
// a '#' summary first), through read_torch_record. A stopgap for scripts/presets/regenerate.sh until
// `convprobe import FILE.json -o OUT.txt` exists; it exits 1 on any error or rejected record, so a preset
// never silently loses a convolution.
#include <fmt/core.h>

#include <cstdio>
#include <map>

#include "base/text.hpp"
#include "sources/torch_record.hpp"

int main(int argc, char** argv) {
  using namespace convprobe;
  if (argc != 2) {
    std::fprintf(stderr, "usage: torch_record_convert FILE.json\n");
    return 2;
  }
  const std::string text = file_bytes(argv[1]);
  sources::Tally tally;
  std::string err;
  if (text.empty() || !sources::read_torch_record(text, argv[1], &tally, &err)) {
    std::fprintf(stderr, "%s\n",
                 text.empty() ? fmt::format("{}: missing or empty", argv[1]).c_str() : err.c_str());
    return 1;
  }
  for (const auto& r : tally.rejections()) std::fprintf(stderr, "%s: %s\n", r.where.c_str(), r.why.c_str());
  if (!tally.rejections().empty()) return 1;
  std::map<Direction, int64_t> problems, runs;
  for (const auto& p : tally.problems()) {
    ++problems[p.dir];
    runs[p.dir] += p.runs;
  }
  std::string summary;
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    if (problems.count(d) == 0) continue;
    summary += fmt::format("{}{} {} ({} convolutions)", summary.empty() ? "" : ", ", problems[d],
                           to_string(d), runs[d]);
  }
  fmt::print("# {} distinct problems: {}\n", tally.problems().size(), summary);
  for (const auto& p : tally.problems()) fmt::print("{}x {}\n", p.runs, to_string(p));
  return 0;
}
