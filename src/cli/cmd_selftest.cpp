// `convprobe selftest`: prove on this machine that every way a backend can fail becomes the right verdict.
// One row per fault candidate (its verdicts over the gfx1010-sizes problems, expected vs got), the
// mismatches in detail, exit 0 only when everything matched.
#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/candidate_selection.hpp"
#include "cli/cli.hpp"
#include "exec/backend_registry.hpp"
#include "jobs/selftest.hpp"
#include "problem/presets.hpp"
#include "report/text_table.hpp"

namespace convprobe::cli {

namespace {

struct SelftestCliOptions {
  std::string backend;
  double timeout_ms = 10000;
  double floor_ms = 300;
  std::string json_path;
  std::string candidates;
};

/// "PASS x2, HANG x7" in first-seen order.
std::string verdict_counts(const std::vector<Verdict>& verdicts) {
  std::vector<std::pair<Verdict, int>> counts;
  for (Verdict v : verdicts) {
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == v; });
    if (it == counts.end()) {
      counts.emplace_back(v, 1);
    } else {
      ++it->second;
    }
  }
  std::string out;
  for (const auto& [v, n] : counts) out += fmt::format("{}{} x{}", out.empty() ? "" : ", ", to_string(v), n);
  return out;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

void print_table(const SelftestReport& report) {
  std::vector<std::string> order;
  std::map<std::string, std::pair<std::vector<Verdict>, std::vector<Verdict>>> by_candidate;
  for (const auto& t : report.trials) {
    auto [it, inserted] = by_candidate.try_emplace(t.candidate);
    if (inserted) order.push_back(t.candidate);
    it->second.first.push_back(t.expected);
    it->second.second.push_back(t.result.verdict);
  }
  TextTable table({"candidate", "expected", "got", "match"});
  for (const auto& id : order) {
    const auto& [expected, got] = by_candidate[id];
    table.add_row({id, verdict_counts(expected), verdict_counts(got), expected == got ? "yes" : "NO"});
  }
  table.print(stdout);
  size_t matched = 0;
  for (const auto& t : report.trials) {
    if (t.matches()) {
      ++matched;
      continue;
    }
    fmt::print("mismatch: {} on {}: expected {}, got {}: {}\n", t.candidate, key(t.problem),
               to_string(t.expected), to_string(t.result.verdict), first_line(t.result.detail));
  }
  fmt::print("selftest: {}/{} verdicts as expected in {:.1f} s: {}\n", matched, report.trials.size(),
             report.seconds, report.all_match() ? "OK" : "FAILED");
}

nlohmann::json to_json_document(const SelftestReport& report, const SelftestCliOptions& o) {
  nlohmann::json trials = nlohmann::json::array();
  for (const auto& t : report.trials) {
    trials.push_back({{"problem", to_string(t.problem)},
                      {"candidate", t.candidate},
                      {"expected", std::string(to_string(t.expected))},
                      {"got", std::string(to_string(t.result.verdict))},
                      {"match", t.matches()},
                      {"phase", std::string(to_string(t.result.phase))},
                      {"detail", t.result.detail},
                      {"wall_ms", t.result.wall_ms}});
  }
  return {{"selftest",
           {{"ok", report.all_match()},
            {"backend", o.backend},
            {"timeout_floor_ms", o.floor_ms},
            {"timeout_cap_ms", o.timeout_ms},
            {"seconds", report.seconds},
            {"trials", trials}}}};
}

/// The backends with a selftest plan (their traits), as the help and the error name them: "'fault' (CPU)".
std::string selftest_backends(bool long_form) {
  std::string text;
  const auto& names = known_backends();
  for (const auto& name : names) {
    const auto& plan = backend_traits(name).selftest;
    if (!plan) continue;
    if (!text.empty()) text += long_form ? " or " : " and ";
    text += fmt::format("'{}' ({})", name, long_form ? plan->what : plan->in_short);
  }
  return text;
}

/// The default backend: the first whose selftest needs no device (CPU faults).
std::string default_selftest_backend() {
  for (const auto& name : known_backends()) {
    const auto& plan = backend_traits(name).selftest;
    if (plan && plan->kind == SelftestPlan::Kind::every_candidate) return name;
  }
  return {};
}

/// --candidates must select some fault candidate before the selftest starts (exit 2, not "0/0 FAILED").
/// When the backend's traits know the ids it lists on every problem (the fault backend's) and the selftest
/// runs only listed ids, this is known without starting a worker. (A GPU backend's device faults are only
/// known from its worker.)
void check_listed_selection(const std::string& backend, const std::string& patterns,
                            const std::string& preset_name) {
  const auto& plan = backend_traits(backend).selftest;
  if (patterns.empty() || !plan || plan->listed_ids == nullptr) return;
  check_unlisted_ids(backend, "--candidates", patterns);
  Preset preset;
  std::string err;
  if (!find_preset(preset_name, -1, &preset, &err)) throw std::runtime_error(err);
  std::vector<Candidate> listed;
  for (const auto& id : plan->listed_ids()) listed.push_back(Candidate{id, "", "", {}});
  OfferedCandidates offered;
  for (const auto& p : preset.problems) offered.add(key(p), listed, listed);
  check_selection(backend, patterns, "", offered);
}

}  // namespace

void add_selftest_command(CLI::App& app, CliState& state) {
  auto* cmd =
      app.add_subcommand("selftest",
                         "Check that hangs, crashes and bad results become the right verdicts on this "
                         "machine (run it first)");
  auto o = std::make_shared<SelftestCliOptions>();
  cmd->add_option("-b,--backend", o->backend, selftest_backends(true))
      ->default_val(default_selftest_backend());
  cmd->add_option("--timeout-ms", o->timeout_ms, "Watchdog cap in ms")
      ->default_val(10000)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--timeout-floor-ms", o->floor_ms,
                  "Watchdog floor in ms (each injected hang costs about this)")
      ->default_val(300)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--candidates", o->candidates, "Only candidates matching these globs (comma-separated)");
  cmd->add_option("--json", o->json_path, "Write the results as JSON to FILE ('-': stdout, no table)");
  cmd->footer(
      "Runs every fault candidate over the gfx1010-sizes problems under the real supervisor. Exit 0 only if "
      "every verdict is the expected one.");
  cmd->callback([o, &state] {
    if (!backend_traits(o->backend).selftest) {
      throw UsageError("--backend: '" + o->backend + "' has no fault candidates; selftest supports " +
                       selftest_backends(false));
    }
    SelftestOptions options;
    check_listed_selection(o->backend, o->candidates, options.preset);
    options.backend = o->backend;
    options.timeout_floor_ms = o->floor_ms;
    options.timeout_cap_ms = o->timeout_ms;
    options.candidate_patterns = o->candidates;
    const bool tty = isatty(STDERR_FILENO) != 0 && o->json_path != "-";
    const SelftestReport report = run_selftest(options, [tty](size_t done, size_t total) {
      if (tty) fmt::print(stderr, "\rselftest: {}/{} trials", done, total);
    });
    if (tty) fmt::print(stderr, "\r\033[K");
    if (o->json_path != "-") print_table(report);
    if (!o->json_path.empty()) {
      const std::string text = to_json_document(report, *o).dump(2) + "\n";
      if (o->json_path == "-") {
        fmt::print("{}", text);
      } else {
        std::ofstream out(o->json_path);
        if (!out || !(out << text)) throw std::runtime_error("cannot write " + o->json_path);
      }
    }
    state.exit_code = report.all_match() ? kExitOk : kExitFailure;
  });
}

}  // namespace convprobe::cli
