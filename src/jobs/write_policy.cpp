#include "jobs/write_policy.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <vector>

#include "jobs/usage_error.hpp"
#include "policy/emit_miopen_finddb.hpp"
#include "policy/emitters.hpp"
#include "policy/policy_model.hpp"
#include "policy/text_safety.hpp"
#include "store/results_db.hpp"

namespace convprobe {

namespace {

/// The row of the emitter table that --emit names (UsageError otherwise); checks --block-slower too.
const Emitter& check_options(const PolicyJobOptions& a) {
  const Emitter* emitter = find_emitter(a.emit);
  if (!emitter) {
    throw UsageError(fmt::format("--emit '{}' is not a format; expected {}", a.emit, emitter_names()));
  }
  if (emitter->name != kMiopenFindDbEmitter && (a.finddb.has_target() || a.finddb.dry_run || a.finddb.json)) {
    throw UsageError(
        fmt::format("--finddb, --finddb-log, --dry-run and --json go with --emit {}", kMiopenFindDbEmitter));
  }
  if (emitter->name == kMiopenFindDbEmitter && !a.output.empty() && a.output != "-") {
    throw UsageError(
        "-o would overwrite the file: a find-db is merged into, never overwritten; give it with --finddb "
        "FILE "
        "(merged, backed up, under MIOpen's lock)");
  }
  if (a.block_slower != 0 && !(a.block_slower >= 1)) {
    throw UsageError(
        fmt::format("--block-slower {} must be >= 1 (a factor of the best passing time)", a.block_slower));
  }
  return *emitter;
}

std::string choose_backend(const PolicyJobOptions& a, const std::vector<StoredTrial>& trials,
                           const std::string& db) {
  if (!a.backend.empty()) return a.backend;
  std::set<std::string> backends;
  for (const auto& t : trials) backends.insert(t.backend);
  if (backends.empty()) {
    throw UsageError(fmt::format("database '{}' holds no trials{}", db,
                                 a.run_id >= 0 ? fmt::format(" for run {}", a.run_id) : std::string()));
  }
  if (backends.size() > 1) {
    std::string list;
    for (const auto& b : backends) list += fmt::format("{}{}", list.empty() ? "" : ", ", b);
    throw UsageError(
        fmt::format("database '{}' holds trials of several backends ({}); choose one with -b", db, list));
  }
  return *backends.begin();
}

/// The trials the policy is derived from: one backend's, which the format must be for.
std::vector<StoredTrial> trials_of_backend(const PolicyJobOptions& a, const Emitter& emitter, Store& store,
                                           const std::string& db, std::string* backend) {
  TrialFilter filter;
  filter.backend = a.backend;
  if (a.run_id >= 0) filter.run_id = a.run_id;
  std::vector<StoredTrial> trials = store.trials(filter);
  *backend = choose_backend(a, trials, db);
  if (const std::string_view needed = emitter.backend; !needed.empty() && *backend != needed) {
    throw UsageError(fmt::format(
        "--emit {} writes a {} policy, but the trials are of backend '{}'; use -b {} or --emit {}", a.emit,
        needed, *backend, needed, emitter_names_for_any_backend()));
  }
  std::erase_if(trials, [&](const StoredTrial& t) { return t.backend != *backend; });
  if (trials.empty())
    throw UsageError(fmt::format("database '{}' holds no trials of backend '{}'", db, *backend));
  return trials;
}

/// The backend version of the runs the verdicts came from (cuDNN errata rules are scoped to it). A find-db is
/// per MIOpen build: verdicts of several versions cannot make one.
std::string runs_backend_version(Store& store, const std::vector<int64_t>& runs, const Emitter& emitter) {
  std::set<std::string> versions;
  for (int64_t id : runs) {
    if (auto run = store.run(id)) versions.insert(run->fingerprint.backend_version);
  }
  if (versions.size() > 1 && emitter.name == kMiopenFindDbEmitter) {
    throw UsageError(
        fmt::format("the verdicts come from {} MIOpen versions ({}); a find-db belongs to one: "
                    "choose its runs with --run",
                    versions.size(), fmt::join(versions, ", ")));
  }
  if (versions.size() > 1) {
    fmt::print(stderr,
               "convprobe: warning: the verdicts come from {} different backend versions; using '{}'\n",
               versions.size(), *versions.rbegin());
  }
  return versions.empty() ? std::string() : *versions.rbegin();
}

void write_content(const std::string& output, const std::string& content) {
  if (output.empty() || output == "-") {
    fmt::print("{}", content);
    std::fflush(stdout);
    return;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", output));
}

/// What was blocked and why, on stderr. Candidate ids and notes come from plugins and the store: printable
/// ASCII only on the terminal.
void print_blocked(const Policy& policy, const std::string& backend, size_t trials, const EmitResult& result,
                   bool per_shape) {
  const std::string runs = fmt::format("{}", fmt::join(policy.runs, ","));
  if (per_shape) {  // a per-shape format blocks nothing everywhere: its notes say what each shape gets
    fmt::print(stderr, "{} trial(s) of {} from run(s) {}\n", trials, backend, runs);
  } else {
    fmt::print(stderr, "{} trial(s) of {} from run(s) {}: {} candidate(s) blocked, {} preferred\n", trials,
               backend, runs, policy.blocked.size(), policy.preferred.size());
    for (const auto& b : policy.blocked) {
      fmt::print(stderr, "  blocked {}: {}\n", sanitize_comment(b.candidate.id, 300), b.reason);
    }
  }
  for (const auto& note : result.notes) fmt::print(stderr, "  {}\n", sanitize_comment(note, 1000));
}

FindDbDecision decide_finddb(const Policy& policy, const std::vector<StoredTrial>& trials) {
  try {
    return decide_miopen_finddb(policy, trials);
  } catch (const EmitInputError& e) {
    throw UsageError(e.what());
  }
}

}  // namespace

bool write_policy(const PolicyJobOptions& a) {
  const Emitter& emitter = check_options(a);
  const std::string db = locate_results_db(a.db_path).path;
  auto store = open_results_for_reading(a.db_path);  // policy reads verdicts: it never changes the database
  std::string backend;
  const std::vector<StoredTrial> trials = trials_of_backend(a, emitter, *store, db, &backend);

  PolicyOptions options;
  options.block_slower = a.block_slower;
  if (emitter.yardstick) options.yardstick = emitter.yardstick;
  Policy policy = derive_policy(backend, trials, options);
  policy.backend_version = runs_backend_version(*store, policy.runs, emitter);
  if (emitter.name == kMiopenFindDbEmitter && (a.finddb.has_target() || a.finddb.json)) {
    return write_finddb_target(decide_finddb(policy, trials), a.finddb);
  }

  const EmitInput in{&policy, &trials,
                     a.output.empty() ? std::string() : std::filesystem::absolute(a.output).string()};
  EmitResult result;
  try {
    result = emitter.emit(in);
  } catch (const EmitInputError& e) {
    throw UsageError(e.what());
  }
  write_content(a.output, result.content);
  print_blocked(policy, backend, trials.size(), result, emitter.name == kMiopenFindDbEmitter);
  if (!a.output.empty() && a.output != "-") fmt::print(stderr, "wrote {}\n", in.output_path);
  return true;
}

}  // namespace convprobe
