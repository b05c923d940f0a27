#include "policy/emit_miopen_finddb.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <map>
#include <optional>
#include <variant>

#include "base/text.hpp"
#include "policy/text_safety.hpp"
#include "vendor/miopen_finddb_file.hpp"

namespace convprobe {

namespace {

/// The record `c` would be on `p`, or the reason it cannot be one.
std::optional<miopen::FindDbEntry> entry_for(const PassingCandidate& c, const Problem& p, std::string* why) {
  const auto name = c.candidate.attrs.find("solver_name");
  if (name == c.candidate.attrs.end() || name->second.empty()) {
    *why = fmt::format("{} names no MIOpen solver (no solver_name)", c.candidate.id);
    return std::nullopt;
  }
  const std::string algorithm = miopen::algorithm_name(c.candidate.family, p.dir);
  if (algorithm.empty()) {
    *why = fmt::format("{}: family '{}' has no MIOpen algorithm for {}", c.candidate.id, c.candidate.family,
                       to_string(p.dir));
    return std::nullopt;
  }
  return miopen::FindDbEntry{name->second, algorithm, c.median_ms, c.workspace_bytes};
}

/// The first ranked candidate a record can name, or a skip saying why none.
std::variant<FindDbChoice, FindDbSkip> choose(const ProblemPasses& passes) {
  if (passes.ranked.empty()) return FindDbSkip{passes.problem, passes.none_reason};
  Problem p;
  std::string why;
  if (!parse_problem(passes.problem, &p, &why)) return FindDbSkip{passes.problem, "stored problem: " + why};
  const auto key = miopen::finddb_key(p, &why);
  if (!key) return FindDbSkip{passes.problem, why};
  std::vector<std::string> unusable;
  for (const PassingCandidate& c : passes.ranked) {
    if (auto entry = entry_for(c, p, &why)) {
      return FindDbChoice{passes.problem, passes.label, miopen::FindDbRecord{*key, *entry}, c.candidate.id,
                          c.trials};
    }
    unusable.push_back(why);
  }
  return FindDbSkip{passes.problem,
                    "no passing candidate a record can name: " + join_for_message(unusable, 3)};
}

}  // namespace

miopen::Version stored_miopen_version(const Policy& policy) {
  miopen::Version v;
  if (!miopen::parse_version(policy.backend_version, &v)) {
    throw EmitInputError(fmt::format(
        "the stored runs' backend version is '{}'; --emit miopen-finddb needs 'MIOpen "
        "<major>.<minor>.<patch>' "
        "(the find-db format and file follow it): sweep again with a MIOpen that reports its version",
        sanitize_comment(policy.backend_version, 80)));
  }
  return v;
}

FindDbDecision decide_miopen_finddb(const Policy& policy, const std::vector<StoredTrial>& trials) {
  FindDbDecision d;
  d.version = stored_miopen_version(policy);
  d.format = miopen::finddb_format(d.version);
  std::map<std::string, std::string> problem_of_key;
  for (const ProblemPasses& passes : rank_passing_candidates(policy.backend, trials)) {
    auto chosen = choose(passes);
    if (auto* skip = std::get_if<FindDbSkip>(&chosen)) {
      d.skipped.push_back(std::move(*skip));
      continue;
    }
    auto& c = std::get<FindDbChoice>(chosen);
    const auto [it, fresh] = problem_of_key.emplace(c.record.key, c.problem);
    if (!fresh) {
      d.skipped.push_back(
          {c.problem, fmt::format("MIOpen sees it as {} too, which has its record", it->second)});
      continue;
    }
    d.records.push_back(std::move(c));
  }
  return d;
}

EmitResult render_miopen_finddb(const FindDbDecision& d, const EmitInput&) {
  EmitResult result;
  for (const auto& c : d.records) result.content += miopen::finddb_line(c.record, d.format) + "\n";
  result.notes.push_back(
      fmt::format("MIOpen {} reads find-db format {}: {} record(s), {} problem(s) without one",
                  d.version.to_string(), to_string(d.format), d.records.size(), d.skipped.size()));
  for (const auto& c : d.records) {
    result.notes.push_back(fmt::format("record {}: {} {:.4g} ms ({})", c.problem, c.record.entry.solver,
                                       c.record.entry.time_ms, c.candidate));
  }
  for (const auto& s : d.skipped)
    result.notes.push_back(fmt::format("no record for {}: {}", s.problem, s.reason));
  result.notes.push_back(
      "merge them into MIOpen's user find-db with --finddb FILE, --finddb auto or --finddb-log LOG (the old "
      "file "
      "is backed up, MIOpen's lock is taken); add --dry-run to see what would change");
  return result;
}

namespace {

/// MIOpen reads only the user find-db named for its own build: a file of records named otherwise steers
/// nothing, and verify would only measure MIOpen's own choice.
bool named_as_user_finddb(const PolicyText& file, std::string* err) {
  const std::string name = std::filesystem::path(file.absolute).filename().string();
  miopen::UserFindDbName parts;
  if (miopen::parse_user_finddb_name(name, &parts)) return true;
  *err = fmt::format(
      "'{}' holds find-db records (miopen-finddb), but MIOpen reads records only from its user find-db, "
      "<arch>_<CUs>.HIP.<version>.ufdb.txt: merge them into it with `policy --emit miopen-finddb --finddb "
      "auto` and verify that file",
      file.path);
  return false;
}

}  // namespace

bool is_finddb_file(const PolicyText& file) {
  if (file.json) return false;
  miopen::UserFindDbName parts;
  return miopen::looks_like_finddb(file.text) ||
         miopen::parse_user_finddb_name(std::filesystem::path(file.absolute).filename().string(), &parts);
}

ReadBack read_back_miopen_finddb(const PolicyText& file, PolicySource* out, std::string* err) {
  if (!is_finddb_file(file)) return ReadBack::not_this_format;
  if (!named_as_user_finddb(file, err)) return ReadBack::invalid;
  for (const auto& line : miopen::split_finddb_lines(file.text)) {
    if (line.key.empty() || out->finddb_solvers.count(std::string(line.key)) != 0)
      continue;  // MIOpen: first wins
    std::vector<std::string> solvers;
    for (const auto& e : miopen::parse_finddb_value(line.text.substr(line.key.size() + 1)))
      solvers.push_back(e.solver);
    out->finddb_solvers[std::string(line.key)] = std::move(solvers);
  }
  out->backend = "miopen";
  out->every_shape = true;  // a record per stored problem: every one is behind the file
  // The folder MIOpen must read it from: the workers get it whatever the user exported.
  out->env["MIOPEN_USER_DB_PATH"] = std::filesystem::path(file.absolute).parent_path().string();
  out->verify_env[kMiopenFrameworkEnv] = kMiopenFrameworkListing;
  return ReadBack::read;
}

}  // namespace convprobe
