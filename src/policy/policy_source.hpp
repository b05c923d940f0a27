// Reading any policy file `verify` accepts, whatever wrote it. The formats are the rows of the emitter table
// (policy/emitters.hpp): each row's read_back says whether a file is in its format and reads it. This file
// holds what they share: the file as read (and parsed as JSON when it is JSON), what a read gives `verify`
// (environment variables and, for convprobe's format, the candidate filter), and the profile reader of the
// shell-profile formats.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "policy/policy_model.hpp"

namespace convprobe {

struct PolicySource {
  std::string path;     ///< absolute
  std::string format;   ///< the name of the emitter row that read it (policy/emitters.hpp)
  std::string backend;  ///< the backend the policy is for (empty: unknown, e.g. an empty profile)
  std::map<std::string, std::string> env;
  std::optional<Policy> policy;  ///< convprobe format only
  size_t errata_rules = 0;       ///< cudnn-errata: number of rules
  /// The policy acts on every shape, so every stored problem of the backend is behind it, not only those
  /// with a failure (an errata file: PyTorch ignores its shape fields, and it may block configs that are
  /// only slow).
  bool every_shape = false;
  /// miopen-finddb: per find-db key, the solvers of its record, the one MIOpen uses first first.
  std::map<std::string, std::vector<std::string>> finddb_solvers;
  /// Set in verify's workers only, not part of the policy (miopen-finddb: ask the MIOpen backend for the
  /// candidates that let MIOpen pick, jobs/verify_finddb.hpp).
  std::map<std::string, std::string> verify_env;
};

/// A policy file before any format has claimed it.
struct PolicyText {
  std::string path;                    ///< as given, for messages
  std::string absolute;                ///< for variables that name the file (CUDNN_ERRATA_JSON_FILE)
  std::string text;                    ///< the whole file
  std::optional<nlohmann::json> json;  ///< the parsed document, when the file is JSON (starts with '{')
};

/// Read and classify a policy file: the first emitter row whose read_back claims it reads it. False with *err
/// naming the file, the line or field, and what was expected (e.g. an errata "engine" that is a string, which
/// would make every PyTorch convolution raise).
bool read_policy_source(const std::string& path, PolicySource* out, std::string* err);

/// Parse the `export NAME=VALUE` lines of a profile (VALUE bare or single-quoted as shell_quote writes it).
bool parse_profile(const std::string& text, std::map<std::string, std::string>* env, std::string* err);

/// The shell-profile formats' common read: the exports of a file that is not JSON, and the backend their
/// names belong to (MIOPEN_* miopen, ONEDNN_*/DNNL_* onednn, CUDNN_* cudnn; one backend per profile; MIOpen
/// values MIOpen would throw on are refused). Sets out->env and out->backend; false with *err naming the
/// file.
bool read_profile_source(const PolicyText& file, PolicySource* out, std::string* err);

}  // namespace convprobe
