// The policy formats, as one table (ninja's kTools[] is the model). Each row is one format: its name (the
// value of `policy --emit` and PolicySource::format), the backend whose trials it needs, the --block-slower
// yardstick, its decide and render steps, and read_back, which recognises and reads the format's files for
// `verify`. `policy`, `verify` and the policy reader find formats only here, so adding a format is one file
// (policy/emit_<name>.{hpp,cpp}: decide, render, read_back; listed in the policy room of src/CMakeLists.txt)
// and one row in policy/emitter_table.cpp (tests/policy/emitter_table_test.cpp then asks for fixture trials
// of the row's backend and round-trips the format).
//
// Deciding is not emitting: policy_model decides what to block; a format's decide step turns that one
// Policy into what the format can say (switches, a cap, errata rules), as data that unit tests check without
// rendering; render writes it. Free text (problem labels, details, paths) reaches a file only through
// nlohmann::json (JSON) or sanitize_comment (shell comments).
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy_model.hpp"
#include "policy/policy_source.hpp"

namespace convprobe {

struct EmitInput {
  const Policy* policy = nullptr;
  /// The trials the policy came from (the same backend): emitters use them to see which families or ISAs
  /// still pass, so that they never switch off everything that works.
  const std::vector<StoredTrial>* trials = nullptr;
  /// Absolute path the file will be written to, or empty for stdout (used in install/export hints).
  std::string output_path;
};

/// Stored results a format cannot be written from (a find-db needs the MIOpen version of the runs, and the
/// runs do not say it): the message names what is missing and what was expected; `policy` exits 2.
class EmitInputError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct EmitResult {
  std::string content;             ///< the file
  std::vector<std::string> notes;  ///< for stderr: warnings, skipped candidates, the install/export step
};

/// What a row's read_back makes of a file.
enum class ReadBack {
  not_this_format,  ///< another row's file: try the next row
  read,             ///< this row's format, read into the PolicySource
  invalid,          ///< this row's format, but refused; *err says why
};

struct Emitter {
  std::string_view name;     ///< `--emit NAME`; PolicySource::format of a file read back
  std::string_view backend;  ///< the backend whose trials it writes; empty: any backend
  std::string_view help;     ///< what it is, for --emit's help: "sh profile"
  /// Which passing trials may be the --block-slower yardstick (PolicyOptions::yardstick); nullptr: every one.
  bool (*yardstick)(const StoredTrial& trial) = nullptr;
  /// The format's decide step, then its render step (decide_then_render below: a decision's type is the
  /// format's own, so the row holds the two composed).
  EmitResult (*emit)(const EmitInput& in) = nullptr;
  /// Claim and read a file of this format. Claims are exclusive: at most one row reads a given file.
  ReadBack (*read_back)(const PolicyText& file, PolicySource* out, std::string* err) = nullptr;
  /// `verify` can run with this format's files. False: read_back only recognises them, and refuses them with
  /// the reason (no row needs that today).
  bool verify_reads = true;
};

/// A row's emit: render(decide(policy, trials)). Decide is pure (unit-tested on its own); render only writes.
template <auto Decide, auto Render>
EmitResult decide_then_render(const EmitInput& in) {
  return Render(Decide(*in.policy, *in.trials), in);
}

/// Every format, in the order help and messages list them.
[[nodiscard]] std::span<const Emitter> emitters();
/// The row named `name`, or nullptr.
[[nodiscard]] const Emitter* find_emitter(std::string_view name);
/// "convprobe, miopen-env, cudnn-errata or onednn-env": every row's name, for messages and help.
[[nodiscard]] std::string emitter_names();
/// The names of the rows that write a policy of any backend ("convprobe"), joined like emitter_names.
[[nodiscard]] std::string emitter_names_for_any_backend();
/// "convprobe (JSON for verify/run/sweep --policy), miopen-env (sh profile), ...": --emit's help.
[[nodiscard]] std::string emitter_help();

}  // namespace convprobe
