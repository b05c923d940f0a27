#include "jobs/candidate_selection.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <iterator>

#include "base/text.hpp"
#include "exec/backend_registry.hpp"
#include "jobs/usage_error.hpp"

namespace convprobe {

namespace {

/// Enough ids to recognise a backend's naming scheme, few enough for one line.
constexpr size_t kIdsShown = 8;

bool is_glob(const std::string& pattern) { return pattern.find_first_of("*?") != std::string::npos; }

/// "'a*'" or "'a*', 'b*'".
std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", item);
  return out;
}

bool matches_some(const std::string& glob, const std::vector<std::string>& ids) {
  return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return glob_match(glob, id); });
}

std::vector<std::string> selected_of(const std::string& patterns, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  std::copy_if(ids.begin(), ids.end(), std::back_inserter(out),
               [&](const std::string& id) { return matches_any(patterns, id); });
  return out;
}

/// Globs that match nothing anywhere in the plan: almost certainly typos.
void check_every_glob_matches(const std::string& backend, const std::string& patterns,
                              const OfferedCandidates& offered) {
  std::vector<std::string> unmatched;
  for (const auto& glob : candidate_globs(patterns)) {
    if (!matches_some(glob, offered.listed())) unmatched.push_back(glob);
  }
  if (unmatched.empty()) return;
  throw UsageError(fmt::format("--candidates: {} {} no {} candidate {}; candidates there: {}",
                               quoted_list(unmatched), unmatched.size() == 1 ? "matches" : "match", backend,
                               offered.where(), some_of(offered.listed())));
}

/// The globs matched, but --policy blocks all that they selected (or, without --candidates, everything).
void check_policy_leaves_some(const std::string& backend, const std::string& patterns,
                              const std::string& policy_path, const OfferedCandidates& offered) {
  if (!selected_of(patterns, offered.allowed()).empty()) return;
  if (offered.listed().empty()) return;  // the backend offers nothing here: the policy took nothing away
  if (patterns.empty()) {
    throw UsageError(fmt::format("--policy {} blocks every {} candidate {}: {}; nothing left to run",
                                 policy_path, backend, offered.where(), some_of(offered.listed())));
  }
  throw UsageError(fmt::format(
      "--candidates '{}' selects only candidates that --policy {} blocks: {}; nothing left to run", patterns,
      policy_path, some_of(selected_of(patterns, offered.listed()))));
}

}  // namespace

std::vector<std::string> candidate_globs(const std::string& patterns) {
  std::vector<std::string> globs;
  for (std::string_view piece : split_list(patterns, ',')) {
    if (!piece.empty()) globs.emplace_back(piece);
  }
  return globs;
}

void check_unlisted_ids(const std::string& backend, const std::string& option, const std::string& patterns) {
  const auto& unlisted = backend_traits(backend).unlisted_ids;
  if (!unlisted) return;
  for (const auto& id : candidate_globs(patterns)) {
    if (is_glob(id)) continue;
    Candidate candidate;
    std::string err;
    if (!unlisted->parse(id, &candidate, &err))
      throw UsageError(fmt::format("{}: {}; {}", option, err, unlisted->forms));
  }
}

void add_unlisted_candidates(const std::string& backend, const std::string& patterns,
                             std::vector<Candidate>* candidates) {
  const auto& unlisted = backend_traits(backend).unlisted_ids;
  if (!unlisted) return;
  for (const auto& id : candidate_globs(patterns)) {
    if (is_glob(id)) continue;
    const bool listed =
        std::any_of(candidates->begin(), candidates->end(), [&](const Candidate& c) { return c.id == id; });
    Candidate candidate;
    std::string err;
    if (!listed && unlisted->parse(id, &candidate, &err)) candidates->push_back(std::move(candidate));
  }
}

void OfferedCandidates::add(const std::string& problem_key, const std::vector<Candidate>& listed,
                            const std::vector<Candidate>& allowed) {
  if (problems_++ == 0) first_problem_ = problem_key;
  add_ids(listed, &listed_, &listed_seen_);
  add_ids(allowed, &allowed_, &allowed_seen_);
}

void OfferedCandidates::add_ids(const std::vector<Candidate>& from, std::vector<std::string>* ids,
                                std::set<std::string>* seen) {
  for (const auto& c : from) {
    if (seen->insert(c.id).second) ids->push_back(c.id);
  }
}

std::string OfferedCandidates::where() const {
  return problems_ == 1 ? "of " + first_problem_ : fmt::format("on any of the {} problems", problems_);
}

void check_selection(const std::string& backend, const std::string& patterns, const std::string& policy_path,
                     const OfferedCandidates& offered) {
  if (offered.problems() == 0) return;
  check_every_glob_matches(backend, patterns, offered);
  if (!policy_path.empty()) check_policy_leaves_some(backend, patterns, policy_path, offered);
}

std::string some_of(const std::vector<std::string>& ids) {
  if (ids.empty()) return "none";
  std::string out;
  for (size_t i = 0; i < ids.size() && i < kIdsShown; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > kIdsShown) out += ", ...";
  return fmt::format("{} ({} in all)", out, ids.size());
}

}  // namespace convprobe
