#include "jobs/bisect_output.hpp"

#include <fmt/core.h>

#include <map>

#include "report/document.hpp"

namespace convprobe {

namespace {

using Kind = BisectOutcome::Kind;

nlohmann::json point_json(const BisectReport& r, const BisectPoint& pt) {
  Problem p;
  (void)with_axis_value(r.base, r.axis, pt.value, &p);
  nlohmann::json j{{"value", pt.value},
                   {"problem", key(p)},
                   {"role", pt.role},
                   {"verdict", to_string(pt.result.verdict)},
                   {"detail", pt.result.detail},
                   {"phase", to_string(pt.result.phase)}};
  if (pt.result.time) j["time_ms"] = {{"median", pt.result.time->median_ms}};
  return j;
}

nlohmann::json side_json(const BisectReport& r, int64_t value, const TrialResult& result) {
  Problem p;
  (void)with_axis_value(r.base, r.axis, value, &p);
  return nlohmann::json{{"value", value},
                        {"problem", key(p)},
                        {"verdict", to_string(result.verdict)},
                        {"detail", result.detail}};
}

/// Every probe in the order it ran, and each value's (last) verdict in value order.
void add_points(const BisectReport& r, nlohmann::json* doc) {
  std::map<int64_t, std::string> verdicts;
  (*doc)["trials"] = nlohmann::json::array();
  for (const auto& pt : r.outcome.points) {
    (*doc)["trials"].push_back(point_json(r, pt));
    verdicts[pt.value] = std::string(to_string(pt.result.verdict));
  }
  (*doc)["verdicts"] = nlohmann::json::array();
  for (const auto& [v, verdict] : verdicts)
    (*doc)["verdicts"].push_back({{"value", v}, {"verdict", verdict}});
}

}  // namespace

bool bisect_ok(const BisectReport& r) {
  return r.outcome.kind == Kind::boundary || r.outcome.kind == Kind::no_change;
}

std::string bisect_headline(const BisectReport& r) {
  const BisectOutcome& o = r.outcome;
  switch (o.kind) {
    case Kind::no_change:
      return fmt::format("{}: {}", r.candidate, o.message);
    case Kind::boundary:
      return describe_boundary(r.candidate, r.axis, o);
    case Kind::non_monotone:
    case Kind::unstable:
      break;
  }
  return fmt::format("{}: {} (first boundary seen: {})", r.candidate, o.message,
                     describe_boundary(r.candidate, r.axis, o));
}

void print_bisect(FILE* out, const BisectReport& r) {
  const BisectOutcome& o = r.outcome;
  fmt::print(out, "{}\n", bisect_headline(r));
  if (o.kind != Kind::no_change) {
    fmt::print(out, "  last good  {}={}: {} {}\n", r.axis_name, o.last_good, to_string(o.good.verdict),
               o.good.detail);
    fmt::print(out, "  first bad  {}={}: {} {}\n", r.axis_name, o.first_bad, to_string(o.bad.verdict),
               o.bad.detail);
  }
  if (o.kind == Kind::boundary && !o.message.empty()) fmt::print(out, "  {}\n", o.message);
  fmt::print(out, "  {} trial(s){}\n", o.points.size(),
             r.run_id >= 0 ? fmt::format(", stored as run {}", r.run_id) : std::string());
}

nlohmann::json bisect_document(const BisectReport& r) {
  static const char* kKinds[] = {"boundary", "no_change", "non_monotone", "unstable"};
  const BisectOutcome& o = r.outcome;
  nlohmann::json doc = document_header();
  doc["backend"] = r.backend;
  doc["candidate"] = r.candidate;
  doc["axis"] = r.axis_name;
  doc["from"] = key(r.base);
  doc["to"] = r.to;
  doc["result"] = kKinds[static_cast<int>(o.kind)];
  doc["message"] = o.message;
  doc["summary"] = bisect_headline(r);
  doc["ok"] = bisect_ok(r);
  if (r.run_id >= 0) doc["run_id"] = r.run_id;
  if (o.kind != Kind::no_change) {
    doc["last_good"] = side_json(r, o.last_good, o.good);
    doc["first_bad"] = side_json(r, o.first_bad, o.bad);
  }
  add_points(r, &doc);
  return doc;
}

}  // namespace convprobe
