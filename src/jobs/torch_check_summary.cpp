#include "jobs/torch_check_summary.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string_view>

namespace convprobe {

nlohmann::json errata_log_summary(const std::string& path) {
  std::ifstream in(path);
  std::set<std::string> blocked;
  int64_t checked = 0;
  std::string line;
  constexpr std::string_view kVerifying = "Verifying ";
  while (std::getline(in, line)) {
    const auto at = line.find(kVerifying);
    if (at == std::string::npos) continue;
    ++checked;
    const auto tag_start = at + kVerifying.size();
    const auto tag_end = line.find(". ", tag_start);
    if (tag_end != std::string::npos && line.find("Blocking", tag_end) != std::string::npos)
      blocked.insert(line.substr(tag_start, tag_end - tag_start));
  }
  return nlohmann::json{{"plans_checked", checked}, {"plans_blocked", blocked}};
}

nlohmann::json merge_runs(const nlohmann::json& a, const nlohmann::json& b) {
  nlohmann::json out = a;
  if (b.is_null() || !b.contains("problems")) return out;
  for (size_t i = 0; i < out["problems"].size() && i < b["problems"].size(); ++i) {
    auto& p = out["problems"][i];
    const auto& q = b["problems"][i];
    if (q.contains("error") && !p.contains("error")) p["error"] = q["error"];
    p["correct"] = p.value("correct", false) && q.value("correct", false);
    if (p.contains("median_ms") && q.contains("median_ms")) {
      p["runs_ms"] = {p["median_ms"], q["median_ms"]};
      p["median_ms"] = 0.5 * (p["median_ms"].get<double>() + q["median_ms"].get<double>());
    }
    if (q.contains("rel_err")) p["rel_err"] = std::max(p.value("rel_err", 0.0), q["rel_err"].get<double>());
  }
  return out;
}

namespace {

/// One problem's row and line: FAIL with the reason, or ok with both sides' times and their ratio.
nlohmann::json problem_row(const nlohmann::json& w, const nlohmann::json& wo, TorchCheckResult* result,
                           std::vector<double>* ratios) {
  nlohmann::json row{{"problem", w.value("problem", "")}, {"with", w}, {"without", wo}};
  if (w.contains("error") || !w.value("correct", false)) {
    result->ok = false;
    result->lines.push_back(fmt::format("FAIL  {}: {}", w.value("problem", ""),
                                        w.contains("error")
                                            ? w["error"].get<std::string>()
                                            : fmt::format("rel_err {}", w.value("rel_err", -1.0))));
    return row;
  }
  const double t_with = w.value("median_ms", 0.0);
  const double t_without = wo.value("median_ms", 0.0);
  if (t_with > 0 && t_without > 0) {
    ratios->push_back(t_without / t_with);
    row["speedup"] = t_without / t_with;
  }
  result->lines.push_back(fmt::format(
      "ok    {}: {:.4g} ms with the policy, {:.4g} ms without = {:.3f}x (rel_err {:.2g}, {}{})",
      w.value("problem", ""), t_with, t_without, t_with > 0 && t_without > 0 ? t_without / t_with : 0.0,
      w.value("rel_err", -1.0), w.value("timing", ""),
      wo.contains("error") || !wo.value("correct", true) ? "; WITHOUT the policy it failed" : ""));
  return row;
}

/// The median speedup over the problems both sides timed, and how many got slower.
void summarize_speedups(std::vector<double> ratios, TorchCheckResult* result) {
  if (ratios.empty()) return;
  std::sort(ratios.begin(), ratios.end());
  const double median = ratios[ratios.size() / 2];
  const size_t slower =
      static_cast<size_t>(std::count_if(ratios.begin(), ratios.end(), [](double r) { return r < 1; }));
  result->report["median_speedup"] = median;
  const size_t slower3 =
      static_cast<size_t>(std::count_if(ratios.begin(), ratios.end(), [](double r) { return r < 1 / 1.03; }));
  result->report["slower"] = slower;
  result->report["slower_by_3pct"] = slower3;
  result->lines.push_back(
      fmt::format("median speedup with the policy {:.3f}x; {} of {} problem(s) slower ({} by more than 3%)",
                  median, slower, ratios.size(), slower3));
}

}  // namespace

void summarize_problems(const nlohmann::json& with, const nlohmann::json& without, TorchCheckResult* result) {
  result->ok = true;
  std::vector<double> ratios;
  result->report["problems"] = nlohmann::json::array();
  for (size_t i = 0; i < with["problems"].size(); ++i) {
    const nlohmann::json wo = (!without.is_null() && i < without["problems"].size())
                                  ? without["problems"][i]
                                  : nlohmann::json::object();
    result->report["problems"].push_back(problem_row(with["problems"][i], wo, result, &ratios));
  }
  summarize_speedups(std::move(ratios), result);
}

}  // namespace convprobe
