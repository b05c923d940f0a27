#include "report/comparison.hpp"

namespace convprobe {

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::worse:
      return "WORSE";
    case ChangeKind::better:
      return "BETTER";
    case ChangeKind::changed:
      return "CHANGED";
    case ChangeKind::withdrawn:
      return "WITHDRAWN";
    case ChangeKind::offered:
      return "OFFERED";
    case ChangeKind::appeared:
      return "APPEARED";
    case ChangeKind::disappeared:
      return "DISAPPEARED";
  }
  return "?";
}

std::string_view to_string(Speed speed) {
  switch (speed) {
    case Speed::same:
      return "SAME";
    case Speed::faster:
      return "FASTER";
    case Speed::slower:
      return "SLOWER";
  }
  return "?";
}

std::string_view to_string(SpeedTest test) {
  switch (test) {
    case SpeedTest::mann_whitney:
      return "mann-whitney";
    case SpeedTest::no_samples:
      return "ratio only: no samples";
    case SpeedTest::too_few_samples:
      return "ratio only: too few samples";
  }
  return "?";
}

size_t Comparison::regressions() const {
  size_t n = 0;
  for (const auto& c : changes) n += c.regression ? 1 : 0;
  for (const auto& b : best) n += b.regression ? 1 : 0;
  return n;
}

}  // namespace convprobe
