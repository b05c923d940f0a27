// The comparison as one JSON document (docs/json-schema.md, "compare"): every change, pair and problem, not
// only those the table shows, so a script can draw its own conclusions.
#include <cmath>

#include "report/compare_output.hpp"
#include "report/document.hpp"
#include "report/run_list.hpp"

namespace convprobe {

namespace {

using nlohmann::json;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json side_json(const ComparedRun& r) {
  json j = stored_run_json(r.run, static_cast<int64_t>(r.trials));
  j["operand"] = r.operand;
  j["db"] = r.db_path;
  return j;
}

json verdict_json(const std::optional<Verdict>& v, const std::string& detail) {
  if (!v) return nullptr;
  return json{{"verdict", std::string(to_string(*v))}, {"detail", detail}};
}

json time_json(const TimeChange& t) {
  return json{{"a_median_ms", t.median_a_ms},
              {"b_median_ms", t.median_b_ms},
              {"ratio", number_or_null(t.ratio)},
              {"speed", std::string(to_string(t.speed))},
              {"test", std::string(to_string(t.test))},
              {"p", t.test == SpeedTest::mann_whitney ? number_or_null(t.p) : json(nullptr)},
              {"a_samples", t.samples_a},
              {"b_samples", t.samples_b}};
}

json key_json(const std::string& problem, const std::string& label, const std::string& backend) {
  json j{{"problem", problem}, {"backend", backend}};
  if (!label.empty()) j["label"] = label;
  return j;
}

json change_json(const CandidateChange& c) {
  json j = key_json(c.problem, c.label, c.backend);
  j["candidate"] = c.candidate;
  j["change"] = std::string(to_string(c.kind));
  j["regression"] = c.regression;
  j["a"] = verdict_json(c.a, c.detail_a);
  j["b"] = verdict_json(c.b, c.detail_b);
  j["repro"] = c.repro;
  return j;
}

json best_json(const BestChange& b) {
  json j = key_json(b.problem, b.label, b.backend);
  j["a"] = b.candidate_a.empty() ? json(nullptr) : json(b.candidate_a);
  j["b"] = b.candidate_b.empty() ? json(nullptr) : json(b.candidate_b);
  j["a_passed"] = b.pass_a;
  j["b_passed"] = b.pass_b;
  j["time"] = b.time ? time_json(*b.time) : json(nullptr);
  j["regression"] = b.regression;
  return j;
}

}  // namespace

json comparison_json(const Comparison& c) {
  json doc = document_header();
  doc["a"] = side_json(c.a);
  doc["b"] = side_json(c.b);
  doc["threshold"] = c.settings.threshold;
  doc["alpha"] = c.settings.alpha;
  doc["regressions"] = c.regressions();
  doc["matched"] = c.matched;
  doc["changes"] = json::array();
  for (const auto& ch : c.changes) doc["changes"].push_back(change_json(ch));
  doc["best"] = json::array();
  for (const auto& b : c.best) doc["best"].push_back(best_json(b));
  doc["timing"] = json::array();
  for (const auto& p : c.timing) {
    json j = key_json(p.problem, p.label, p.backend);
    j["candidate"] = p.candidate;
    j.update(time_json(p.time));
    doc["timing"].push_back(std::move(j));
  }
  doc["geomeans"] = json::array();
  for (const auto& g : c.geomeans) {
    doc["geomeans"].push_back({{"backend", g.backend},
                               {"data_type", g.data_type},
                               {"direction", g.direction},
                               {"pairs", g.pairs},
                               {"pair_geomean", number_or_null(g.pair_geomean)},
                               {"problems", g.problems},
                               {"best_geomean", number_or_null(g.best_geomean)}});
  }
  doc["fingerprint_changes"] = json::array();
  for (const auto& f : c.fingerprint)
    doc["fingerprint_changes"].push_back({{"field", f.field}, {"a", f.a}, {"b", f.b}});
  doc["problems_only_in_a"] = c.problems_only_a;
  doc["problems_only_in_b"] = c.problems_only_b;
  return doc;
}

void write_comparison_json(const std::string& path, const Comparison& c) {
  write_json_output(path, comparison_json(c));
}

}  // namespace convprobe
