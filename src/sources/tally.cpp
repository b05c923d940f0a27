// De-duplication by identity (key(), which leaves the label and the runs out).
#include "sources/tally.hpp"

#include <utility>

namespace convprobe::sources {

void Tally::add(Problem p, const std::string& origin, int64_t runs) {
  const std::string k = key(p);
  const auto it = index_.find(k);
  if (it != index_.end()) {
    problems_[it->second].runs += runs;
    return;
  }
  if (p.label.empty()) p.label = origin;
  p.runs = runs;
  index_.emplace(k, problems_.size());
  problems_.push_back(std::move(p));
}

void Tally::skip(const std::string& kind, int64_t n) { skipped_[kind] += n; }

void Tally::reject(std::string where, std::string why) {
  rejections_.push_back({std::move(where), std::move(why)});
}

void Tally::warn(std::string message) { warnings_.push_back(std::move(message)); }

void Tally::merge(const Tally& other) {
  for (const auto& p : other.problems_) add(p, p.label, p.runs);
  for (const auto& [kind, n] : other.skipped_) skip(kind, n);
  rejections_.insert(rejections_.end(), other.rejections_.begin(), other.rejections_.end());
  warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
}

int64_t Tally::total_runs() const {
  int64_t n = 0;
  for (const auto& p : problems_) n += p.runs;
  return n;
}

}  // namespace convprobe::sources
