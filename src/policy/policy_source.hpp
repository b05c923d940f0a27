// Reading any policy file `verify` accepts, whatever wrote it: convprobe's JSON policy, a miopen-env or
// onednn-env profile (only `export NAME=VALUE` lines, comments and blank lines), or a cudnn-frontend errata
// JSON. The result is what a fresh worker needs: environment variables and, for convprobe's format, the
// candidate filter.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "policy/policy_model.hpp"

namespace convprobe {

struct PolicySource {
  std::string path;     ///< absolute
  std::string format;   ///< convprobe, miopen-env, onednn-env, cudnn-errata
  std::string backend;  ///< the backend the policy is for (empty: unknown, e.g. an empty profile)
  std::map<std::string, std::string> env;
  std::optional<Policy> policy;  ///< convprobe format only
  size_t errata_rules = 0;       ///< cudnn-errata: number of rules
};

/// Read and classify a policy file. False with *err naming the file, the line or field, and what was expected
/// (e.g. an errata "engine" that is a string, which would make every PyTorch convolution raise).
bool read_policy_source(const std::string& path, PolicySource* out, std::string* err);

/// Parse the `export NAME=VALUE` lines of a profile (VALUE bare or single-quoted as shell_quote writes it).
bool parse_profile(const std::string& text, std::map<std::string, std::string>* env, std::string* err);

}  // namespace convprobe
