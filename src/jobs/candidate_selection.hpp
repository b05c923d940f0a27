// What --candidates, --policy and bisect --candidate select is checked before anything runs or is stored: a
// selection that selects nothing is bad input (exit 2) naming what was asked for and what exists, never an
// empty run that exits 0 (issue 13). Rules: docs/design.md, "Candidate selections".
#pragma once

#include <set>
#include <string>
#include <vector>

#include "convprobe/candidate.hpp"

namespace convprobe {

/// The non-empty globs of a comma-separated --candidates list, in order.
[[nodiscard]] std::vector<std::string> candidate_globs(const std::string& patterns);

/// A backend that runs ids it did not list (its traits' UnlistedIds, e.g. the fault backend's
/// `fault.hang@hw>100`) must be given well-formed exact ids (no `*` or `?`): otherwise UsageError naming
/// `option`, the bad part and the accepted forms. Globs are judged later, against what the backend lists
/// (check_selection). Nothing to check for other backends.
void check_unlisted_ids(const std::string& backend, const std::string& option, const std::string& patterns);

/// Such a backend: exact ids in `patterns` that it did not list are added, and the backend judges them.
void add_unlisted_candidates(const std::string& backend, const std::string& patterns,
                             std::vector<Candidate>* candidates);

/// Every candidate id a plan's problems offer (each once, in first-seen order), before and after --policy.
class OfferedCandidates {
 public:
  /// One problem whose candidates could be listed: `listed` as the backend gave them, `allowed` what the
  /// policy left of them.
  void add(const std::string& problem_key, const std::vector<Candidate>& listed,
           const std::vector<Candidate>& allowed);
  [[nodiscard]] const std::vector<std::string>& listed() const { return listed_; }
  [[nodiscard]] const std::vector<std::string>& allowed() const { return allowed_; }
  [[nodiscard]] size_t problems() const { return problems_; }
  /// "of mb1ic3ih8oc8kh3" for one problem, "on any of the 9 problems" for several.
  [[nodiscard]] std::string where() const;

 private:
  static void add_ids(const std::vector<Candidate>& from, std::vector<std::string>* ids,
                      std::set<std::string>* seen);
  std::vector<std::string> listed_, allowed_;
  std::set<std::string> listed_seen_, allowed_seen_;
  size_t problems_ = 0;
  std::string first_problem_;
};

/// The selection of a run or sweep, judged over its whole plan. UsageError when a glob matches no listed
/// candidate on any problem (a typo; a glob that matches on some problems only is fine: winograd applies to
/// some shapes), or when --policy leaves nothing of what was selected. Not judged when no problem could be
/// listed (those are runtime errors, reported per problem).
void check_selection(const std::string& backend, const std::string& patterns, const std::string& policy_path,
                     const OfferedCandidates& offered);

/// "a, b, c, ... (27 in all)", or "none": what a message shows of a list of candidate ids.
[[nodiscard]] std::string some_of(const std::vector<std::string>& ids);

}  // namespace convprobe
