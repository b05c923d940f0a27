#include "report/table_printer.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace convprobe {

void TablePrinter::do_begin(const ReportBegin& b) {
  problem_order_ = b.problem_order;
  backends_ = b.backends;
}

std::vector<ReportedTrial> TablePrinter::in_plan_order() const {
  if (problem_order_.empty()) return trials_;
  // Each trial's plan position is looked up once (a problem key is built per trial, not per comparison).
  std::map<std::string, size_t> plan_position;
  for (size_t i = 0; i < problem_order_.size(); ++i) plan_position.emplace(problem_order_[i], i);
  std::vector<std::pair<size_t, const ReportedTrial*>> by_plan;
  by_plan.reserve(trials_.size());
  for (const auto& t : trials_) {
    const auto it = plan_position.find(key(t.problem));
    by_plan.emplace_back(it == plan_position.end() ? plan_position.size() : it->second, &t);
  }
  std::stable_sort(by_plan.begin(), by_plan.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ReportedTrial> ordered;
  ordered.reserve(by_plan.size());
  for (const auto& [position, t] : by_plan) ordered.push_back(*t);
  return ordered;
}

void TablePrinter::do_end(const ReportEnd& e) {
  const std::vector<ReportedTrial> trials = in_plan_order();
  std::vector<std::string> backends = backends_;
  for (const auto& t : trials) {
    if (std::find(backends.begin(), backends.end(), t.backend) == backends.end())
      backends.push_back(t.backend);
  }
  for (const auto& backend : backends) {
    std::vector<ReportedTrial> of_backend;
    std::copy_if(trials.begin(), trials.end(), std::back_inserter(of_backend),
                 [&](const ReportedTrial& t) { return t.backend == backend; });
    if (backends.size() > 1) fmt::print(out_, "== backend {} ==\n", backend);
    print_trial_table(out_, of_backend);
  }
  for (const auto& line : e.summary) fmt::print(out_, "{}\n", line);
}

}  // namespace convprobe
