// `convprobe policy`: derive blocked/preferred candidates from stored verdicts and write them in the format a
// framework or library reads. The file goes to -o or stdout; what was blocked and why goes to stderr.
#include <fmt/core.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "cli/cli.hpp"
#include "policy/emitters.hpp"
#include "policy/policy_model.hpp"
#include "policy/text_safety.hpp"
#include "store/results_db.hpp"

namespace convprobe::cli {

namespace {

struct PolicyArgs {
  std::string db_path;
  std::string emit;
  std::string output;
  double block_slower = 0;
  std::string backend;
  int64_t run_id = -1;
};

std::string choose_backend(const PolicyArgs& a, const std::vector<StoredTrial>& trials,
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

/// The backend version of the runs the verdicts came from (cuDNN errata rules are scoped to it).
std::string runs_backend_version(Store& store, const std::vector<int64_t>& runs) {
  std::set<std::string> versions;
  for (int64_t id : runs) {
    if (auto run = store.run(id)) versions.insert(run->fingerprint.backend_version);
  }
  if (versions.size() > 1) {
    fmt::print(stderr,
               "convprobe: warning: the verdicts come from {} different backend versions; using '{}'\n",
               versions.size(), *versions.rbegin());
  }
  return versions.empty() ? std::string() : *versions.rbegin();
}

void run_policy(const PolicyArgs& a) {
  const Emitter* emitter = find_emitter(a.emit);
  if (!emitter) {
    throw UsageError(fmt::format("--emit '{}' is not a format; expected {}", a.emit, emitter_names()));
  }
  if (a.block_slower != 0 && !(a.block_slower >= 1)) {
    throw UsageError(
        fmt::format("--block-slower {} must be >= 1 (a factor of the best passing time)", a.block_slower));
  }
  const std::string db = locate_results_db(a.db_path).path;
  auto store = open_results_for_reading(a.db_path);  // policy reads verdicts: it never changes the database

  TrialFilter filter;
  filter.backend = a.backend;
  if (a.run_id >= 0) filter.run_id = a.run_id;
  std::vector<StoredTrial> trials = store->trials(filter);
  const std::string backend = choose_backend(a, trials, db);
  if (const std::string_view needed = emitter->backend; !needed.empty() && backend != needed) {
    throw UsageError(fmt::format(
        "--emit {} writes a {} policy, but the trials are of backend '{}'; use -b {} or --emit {}", a.emit,
        needed, backend, needed, emitter_names_for_any_backend()));
  }
  std::erase_if(trials, [&](const StoredTrial& t) { return t.backend != backend; });
  if (trials.empty())
    throw UsageError(fmt::format("database '{}' holds no trials of backend '{}'", db, backend));

  PolicyOptions options;
  options.block_slower = a.block_slower;
  if (emitter->yardstick) options.yardstick = emitter->yardstick;
  Policy policy = derive_policy(backend, trials, options);
  policy.backend_version = runs_backend_version(*store, policy.runs);

  EmitInput in{&policy, &trials,
               a.output.empty() ? std::string() : std::filesystem::absolute(a.output).string()};
  const EmitResult result = emitter->emit(in);

  if (a.output.empty() || a.output == "-") {
    fmt::print("{}", result.content);
    std::fflush(stdout);
  } else {
    std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
    out << result.content;
    out.close();
    if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", a.output));
  }

  fmt::print(stderr, "{} trial(s) of {} from run(s) {}: {} candidate(s) blocked, {} preferred\n",
             trials.size(), backend, fmt::format("{}", fmt::join(policy.runs, ",")), policy.blocked.size(),
             policy.preferred.size());
  // Candidate ids and notes come from plugins and the store: printable ASCII only on the terminal.
  for (const auto& b : policy.blocked) {
    fmt::print(stderr, "  blocked {}: {}\n", sanitize_comment(b.candidate.id, 300), b.reason);
  }
  for (const auto& note : result.notes) fmt::print(stderr, "  {}\n", sanitize_comment(note, 1000));
  if (!a.output.empty() && a.output != "-") fmt::print(stderr, "wrote {}\n", in.output_path);
}

}  // namespace

void add_policy_command(CLI::App& app, CliState& state) {
  auto args = std::make_shared<PolicyArgs>();
  auto* cmd = app.add_subcommand(
      "policy", "Write what frameworks should avoid (and prefer), derived from stored verdicts");
  cmd->add_option("--db", args->db_path, kDbReadHelp);
  cmd->add_option("--emit", args->emit, "Format: " + emitter_help())->required();
  cmd->add_option("-o,--output", args->output, "Write the policy to FILE (default: stdout)");
  cmd->add_option(
      "--block-slower", args->block_slower,
      "Also block candidates slower than X times the best passing one on every problem where they "
      "passed (never one that is the fastest anywhere)");
  cmd->add_option("-b,--backend", args->backend,
                  "Backend whose trials to use (needed when the db holds several)");
  cmd->add_option("--run", args->run_id, "Use only the trials of this run id");
  cmd->footer(
      "By default HANG, CRASH, MISMATCH, OOM, FAILED (and UNTESTED) block a candidate everywhere; "
      "UNSUPPORTED "
      "and SKIPPED never do.\nThe file is written, never installed: stderr says how to install or export "
      "it.\n" +
      std::string(kDbReadExitCodes));
  cmd->callback([args, &state] {
    run_policy(*args);
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
