// cudnn-errata: the JSON that cudnn-frontend (and PyTorch through it) reads from CUDNN_ERRATA_JSON_FILE,
// exactly as FACTS §2 describes the reader: "engine" is a JSON integer (a string makes every PyTorch conv
// raise), the knob choices go in as ONE whole-suffix string (knobs match by substring: "k2=1" alone would
// also block k2=18), and "cudnn_version_end" is exclusive. PyTorch checks rules without the shape overload,
// so shape fields would be ignored there: none are written and every rule blocks its config for every shape.
// A loaded file replaces PyTorch's built-in 3-D rules, so they are carried into every file.
// A slow engine default config (tag without knobs) is not written while another config of that engine is
// kept: its rule would match every config of the engine.
#include "policy/emit_cudnn_errata.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "core/shell_quote.hpp"
#include "vendor/cudnn_errata.hpp"

namespace convprobe {

bool cudnn_heuristics_offered(const StoredTrial& trial) {
  const auto it = trial.candidate.attrs.find("source");
  if (it == trial.candidate.attrs.end() || trial.candidate.has_note("down_convert")) return false;
  return it->second.find("heur_a") != std::string::npos || it->second.find("fallback") != std::string::npos;
}

int64_t cudnn_version_number(const std::string& text) {
  static const std::regex pattern(R"(([0-9]+)\.([0-9]+)\.([0-9]+))");
  std::smatch m;
  if (!std::regex_search(text, m, pattern)) return -1;
  try {
    return std::stoll(m[1].str()) * 10000 + std::stoll(m[2].str()) * 100 + std::stoll(m[3].str());
  } catch (const std::exception&) {
    return -1;
  }
}

namespace {

/// A rule that blocks `operation`/`engine` with `knobs` (the whole suffix, or none: every config of the
/// engine) for cuDNN versions [start, end); end -1 is "no end", as the frontend reads it (unsigned).
cudnn::ErrataRule make_rule(const std::string& rule_id, const std::string& operation, int64_t engine,
                            const std::string& knobs, int64_t start, int64_t end) {
  cudnn::ErrataRule r;
  r.rule_id = rule_id;
  r.operation = operation;
  r.engine = engine;
  if (!knobs.empty()) r.knobs.push_back(knobs);
  r.version_start = static_cast<uint64_t>(start);
  r.version_end = end < 0 ? UINT64_MAX : static_cast<uint64_t>(end);
  return r;
}

/// The verdicts hold for the cuDNN release they were measured with: rules cover that minor series
/// [9.19.0, 9.20.0) (PyTorch compares its compile-time CUDNN_VERSION); every version when it is unknown.
std::pair<int64_t, int64_t> measured_series(const std::string& backend_version,
                                            std::vector<std::string>* notes) {
  const int64_t measured = cudnn_version_number(backend_version);
  if (measured > 0) return {measured / 100 * 100, measured / 100 * 100 + 100};
  notes->push_back(
      fmt::format("warning: cuDNN version unknown ('{}'); rules apply to every version", backend_version));
  return {0, -1};
}

/// A passing, unblocked config of the same operation and engine as `tag` (empty if none). A rule without
/// knobs (an engine's default config, tag `ConvFwd_eng67`) matches every config of the engine.
std::string kept_config_of_engine(const Policy& policy, const std::map<std::string, Candidate>& passing,
                                  const PlanTag& tag) {
  for (const auto& [id, c] : passing) {
    PlanTag other;
    if (policy.find_blocked(id) || !parse_plan_tag(id, &other)) continue;
    if (other.operation == tag.operation && other.engine == tag.engine) return id;
  }
  return {};
}

/// The plan tag a rule for `b` blocks; false (with a note) when no rule may be written for it: a legacy
/// algorithm, or a slow default config whose rule would also block a kept config of its engine.
bool tag_to_block(const Policy& policy, const std::map<std::string, Candidate>& kept,
                  const BlockedCandidate& b, PlanTag* tag, std::vector<std::string>* notes) {
  if (!parse_plan_tag(b.candidate.id, tag)) {
    notes->push_back(
        fmt::format("skipped {}: not a cudnn-frontend plan tag (legacy algorithms cannot be "
                    "blocked by errata) ({})",
                    b.candidate.id, b.reason));
    return false;
  }
  if (!b.slow || !tag->knobs.empty()) return true;
  const std::string sibling = kept_config_of_engine(policy, kept, *tag);
  if (sibling.empty()) return true;
  notes->push_back(fmt::format(
      "not blocked {}: an engine's default config has no knob choices, so its rule would block every "
      "config of engine {}, including {}, which is kept ({})",
      b.candidate.id, tag->engine, sibling, b.reason));
  return false;
}

/// Substring matching can still reach a config whose last knob value extends ours (k13=0 vs k13=05): warn
/// for every kept config a written rule also blocks.
void warn_substring_matches(const Policy& policy, const std::map<std::string, Candidate>& kept,
                            const std::vector<PlanTag>& written, std::vector<std::string>* notes) {
  for (const auto& [id, c] : kept) {
    if (policy.find_blocked(id)) continue;
    for (const auto& tag : written) {
      if (cudnn::rule_matches(make_rule({}, tag.operation, tag.engine, tag.knobs, 0, -1), id, 0)) {
        notes->push_back(fmt::format("warning: the rule for {} also blocks {} (knobs match by substring)",
                                     cudnn::to_string(tag), id));
      }
    }
  }
}

/// PyTorch's hard-coded rules for 3-D convolutions (aten/src/ATen/native/cudnn/Conv_v8.cpp), used by PyTorch
/// only when no errata file is loaded. Here they apply to 2-D too: the file cannot say "3-D only".
void add_builtin_rules(std::vector<cudnn::ErrataRule>* rules) {
  rules->push_back(make_rule("pytorch_builtin_3d_ConvBwdData_eng23", "ConvBwdData", 23, "", 0, -1));
  rules->push_back(make_rule("pytorch_builtin_3d_ConvFwd_eng23", "ConvFwd", 23, "", 90800, 91500));
}

}  // namespace

ErrataDecision decide_cudnn_errata(const Policy& policy, const std::vector<StoredTrial>& trials) {
  ErrataDecision d;
  const auto [start, end] = measured_series(policy.backend_version, &d.notes);
  const auto kept = passing_candidates(policy.backend, trials);
  std::vector<PlanTag> written;
  for (const auto& b : policy.blocked) {
    PlanTag tag;
    if (!tag_to_block(policy, kept, b, &tag, &d.notes)) continue;
    d.rules.push_back(
        make_rule("convprobe:" + b.candidate.id, tag.operation, tag.engine, tag.knobs, start, end));
    written.push_back(tag);
    d.notes.push_back(fmt::format("blocked {}: {}", b.candidate.id, b.reason));
  }
  warn_substring_matches(policy, kept, written, &d.notes);
  add_builtin_rules(&d.rules);
  return d;
}

EmitResult render_cudnn_errata(const ErrataDecision& decision, const EmitInput& in) {
  EmitResult result;
  result.notes = decision.notes;
  result.content = cudnn::errata_file_text(decision.rules);
  result.notes.push_back("carried PyTorch's built-in 3-D rules (engine 23): a loaded file replaces them");
  result.notes.push_back(
      "no shape fields written: PyTorch ignores them, so each rule blocks its config for every shape");
  if (in.output_path.empty()) {
    result.notes.push_back(
        "save this JSON to a file and run: export CUDNN_ERRATA_JSON_FILE=/absolute/path/to/it");
  } else {
    result.notes.push_back(fmt::format("export CUDNN_ERRATA_JSON_FILE={}", shell_quote(in.output_path)));
  }
  return result;
}

ReadBack read_back_cudnn_errata(const PolicyText& file, PolicySource* out, std::string* err) {
  if (!file.json || !file.json->contains("rules")) return ReadBack::not_this_format;
  // Checked by the reader the cuDNN backend matches with: what it refuses would break a framework.
  cudnn::Errata errata;
  if (!errata.parse(*file.json, fmt::format("errata file '{}'", file.path), err)) return ReadBack::invalid;
  out->errata_rules = errata.rules().size();
  out->backend = "cudnn";
  out->env["CUDNN_ERRATA_JSON_FILE"] = file.absolute;
  out->every_shape = true;  // PyTorch ignores the rules' shape fields
  return ReadBack::read;
}

}  // namespace convprobe
