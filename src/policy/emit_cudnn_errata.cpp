// cudnn-errata: the JSON that cudnn-frontend (and PyTorch through it) reads from CUDNN_ERRATA_JSON_FILE,
// exactly as FACTS §2 describes the reader: "engine" is a JSON integer (a string makes every PyTorch conv
// raise), the knob choices go in as ONE whole-suffix string (knobs match by substring: "k2=1" alone would
// also block k2=18), and "cudnn_version_end" is exclusive. PyTorch checks rules without the shape overload,
// so shape fields would be ignored there: none are written and every rule blocks its config for every shape.
// A loaded file replaces PyTorch's built-in 3-D rules, so they are carried into every file.
// A slow engine default config (tag without knobs) is not written while another config of that engine is
// kept: its rule would match every config of the engine.
#include <fmt/core.h>

#include <regex>

#include "core/shell_quote.hpp"
#include "policy/emitters.hpp"
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

/// End -1: no end (the frontend reads the bounds as unsigned). vendor/cudnn_errata writes the rule.
cudnn::ErrataRule rule(const std::string& rule_id, const std::string& operation, int64_t engine,
                       const std::string& knobs, int64_t start, int64_t end) {
  cudnn::ErrataRule r;
  r.rule_id = rule_id;
  r.operation = operation;
  r.engine = engine;
  if (!knobs.empty()) r.knobs.push_back(knobs);
  r.version_start = static_cast<uint64_t>(start);
  r.version_end = static_cast<uint64_t>(end);
  return r;
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

/// PyTorch's hard-coded rules for 3-D convolutions (aten/src/ATen/native/cudnn/Conv_v8.cpp), used by PyTorch
/// only when no errata file is loaded. Here they apply to 2-D too: the file cannot say "3-D only".
void add_builtin_rules(std::vector<cudnn::ErrataRule>* rules) {
  rules->push_back(rule("pytorch_builtin_3d_ConvBwdData_eng23", "ConvBwdData", 23, "", 0, -1));
  rules->push_back(rule("pytorch_builtin_3d_ConvFwd_eng23", "ConvFwd", 23, "", 90800, 91500));
}

}  // namespace

EmitResult emit_cudnn_errata(const EmitInput& in) {
  const Policy& policy = *in.policy;
  EmitResult result;

  // The verdicts hold for the cuDNN release they were measured with: rules cover that minor series
  // [9.19.0, 9.20.0). PyTorch compares its compile-time CUDNN_VERSION.
  int64_t start = 0;
  int64_t end = -1;
  const int64_t measured = cudnn_version_number(policy.backend_version);
  if (measured > 0) {
    start = measured / 100 * 100;
    end = start + 100;
  } else {
    result.notes.push_back(fmt::format("warning: cuDNN version unknown ('{}'); rules apply to every version",
                                       policy.backend_version));
  }

  std::vector<cudnn::ErrataRule> rules;
  std::vector<PlanTag> written;
  const auto kept = passing_candidates(policy.backend, *in.trials);
  for (const auto& b : policy.blocked) {
    PlanTag tag;
    if (!parse_plan_tag(b.candidate.id, &tag)) {
      result.notes.push_back(
          fmt::format("skipped {}: not a cudnn-frontend plan tag (legacy algorithms cannot be "
                      "blocked by errata) ({})",
                      b.candidate.id, b.reason));
      continue;
    }
    if (b.slow && tag.knobs.empty()) {
      if (const std::string sibling = kept_config_of_engine(policy, kept, tag); !sibling.empty()) {
        result.notes.push_back(fmt::format(
            "not blocked {}: an engine's default config has no knob choices, so its rule would block every "
            "config of engine {}, including {}, which is kept ({})",
            b.candidate.id, tag.engine, sibling, b.reason));
        continue;
      }
    }
    rules.push_back(rule("convprobe:" + b.candidate.id, tag.operation, tag.engine, tag.knobs, start, end));
    written.push_back(tag);
    result.notes.push_back(fmt::format("blocked {}: {}", b.candidate.id, b.reason));
  }

  // Substring matching can still reach a config whose last knob value extends ours (k13=0 vs k13=05).
  for (const auto& [id, c] : kept) {
    if (policy.find_blocked(id)) continue;
    for (const auto& tag : written) {
      if (cudnn::rule_matches(rule({}, tag.operation, tag.engine, tag.knobs, 0, -1), id, 0)) {
        result.notes.push_back(fmt::format(
            "warning: the rule for {} also blocks {} (knobs match by substring)", cudnn::to_string(tag), id));
      }
    }
  }
  add_builtin_rules(&rules);
  result.content = cudnn::errata_file_text(rules);
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

}  // namespace convprobe
