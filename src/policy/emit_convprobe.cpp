#include "policy/emit_convprobe.hpp"

#include <fmt/core.h>

#include "core/shell_quote.hpp"
#include "policy/policy_file.hpp"

namespace convprobe {

Policy decide_convprobe(const Policy& policy, const std::vector<StoredTrial>& /*trials*/) { return policy; }

EmitResult render_convprobe(const Policy& decision, const EmitInput& in) {
  EmitResult result;
  result.content = policy_to_json(decision).dump(2) + "\n";
  result.notes.push_back(
      in.output_path.empty()
          ? std::string("use it with: convprobe verify --policy FILE (or run/sweep --policy FILE)")
          : fmt::format("use it with: convprobe verify --policy {}", shell_quote(in.output_path)));
  return result;
}

ReadBack read_back_convprobe(const PolicyText& file, PolicySource* out, std::string* err) {
  // Any other JSON document is read as a convprobe policy, so that a wrong one is told what is missing.
  if (!file.json || file.json->contains("rules")) return ReadBack::not_this_format;
  Policy policy;
  std::string why;
  if (!policy_from_json(*file.json, &policy, &why)) {
    *err = fmt::format("policy file '{}': {}", file.path, why);
    return ReadBack::invalid;
  }
  out->backend = policy.backend;
  out->env = policy.env;
  out->policy = std::move(policy);
  return ReadBack::read;
}

}  // namespace convprobe
