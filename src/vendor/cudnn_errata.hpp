// cudnn-frontend's errata rules ("check_errata"), re-implemented so convprobe offers exactly the engine
// configurations a framework using cudnn-frontend (PyTorch) would still run under the same
// CUDNN_ERRATA_JSON_FILE. The one reader, validator, matcher and writer of errata files: the cuDNN backend
// matches its candidates with it, `verify` validates a file with it, the policy emitter writes rules with it.
// No cuDNN dependency: the policy emitter's output is tested against this on the CPU.
//
// Semantics (cudnn-frontend v1.x cudnn_frontend_Errata.h, see docs/cudnn.md):
//  - file: top-level object with a "rules" array; an unopenable file means "no errata";
//  - a rule blocks a plan tag iff  operation + "_eng" + engine + "_"  is a prefix of  tag + "_",
//    every string of "knob" is a substring of the tag, and cudnn_version_start <= version < cudnn_version_end
//    (end exclusive; -1 wraps to the maximum, as the frontend reads it as an unsigned integer);
//  - "engine" must be a JSON integer ("38" as a string is an error, as it is in the frontend);
//  - the first matching rule wins; shape fields are ignored (PyTorch uses the overload without shapes, so a
//    rule with "input_shape" blocks every shape).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace convprobe::cudnn {

struct ErrataRule {
  std::string rule_id;  ///< informational ("rule_id" field), may be empty
  std::string operation;
  int64_t engine = 0;
  std::vector<std::string> knobs;
  uint64_t version_start = 0;
  uint64_t version_end = UINT64_MAX;  ///< exclusive
};

class Errata {
 public:
  /// Parse the JSON text of an errata file. Returns false and sets *err naming the rule and field on bad
  /// input.
  bool parse(const std::string& json_text, const std::string& origin, std::string* err);
  /// The same, for a document already parsed (e.g. by a reader that first had to tell formats apart).
  bool parse(const nlohmann::json& doc, const std::string& origin, std::string* err);
  /// Load a file. An unopenable file yields no rules and returns true (the frontend ignores it), with
  /// *note set to say so; malformed content returns false with *err.
  bool load_file(const std::string& path, std::string* note, std::string* err);
  /// Load from $CUDNN_ERRATA_JSON_FILE (no variable: no rules).
  bool load_from_env(std::string* note, std::string* err);

  /// The first rule blocking `tag` at cuDNN version `version` (e.g. 91900), or nothing.
  [[nodiscard]] std::optional<ErrataRule> blocking_rule(const std::string& tag, uint64_t version) const;
  [[nodiscard]] bool blocks(const std::string& tag, uint64_t version) const {
    return blocking_rule(tag, version).has_value();
  }
  [[nodiscard]] const std::vector<ErrataRule>& rules() const { return rules_; }
  [[nodiscard]] const std::string& origin() const { return origin_; }

 private:
  std::vector<ErrataRule> rules_;
  std::string origin_;
};

/// True when `rule` blocks `tag` at `version` (exposed for tests and for explaining a block).
[[nodiscard]] bool rule_matches(const ErrataRule& rule, const std::string& tag, uint64_t version);

/// One rule as cudnn-frontend reads it: "engine" a JSON integer (a string makes every PyTorch convolution
/// raise), "knob" only when the rule has knob strings, the version bounds as JSON integers (an end of
/// UINT64_MAX is written -1, which the frontend reads back as "no end"), no shape fields.
[[nodiscard]] nlohmann::json to_json(const ErrataRule& rule);
/// A whole errata file, {"version": 1, "rules": [...]}, indented by two, with a final newline. Errata::parse
/// reads it back to the same rules.
[[nodiscard]] std::string errata_file_text(const std::vector<ErrataRule>& rules);

}  // namespace convprobe::cudnn
