// What convprobe knows about the fault backend without loading it: it runs any well-formed fault id, listed
// or not (fault.hang@hw>100), and `convprobe selftest` runs every fault candidate it lists over the preset,
// each expected to produce what fault_spec.hpp says. Compiled into the convprobe program, not the plugin.
#include <string>

#include "backends/fault/fault_spec.hpp"
#include "convprobe/backend_traits.hpp"

namespace {

using convprobe::Candidate;
using convprobe::Problem;
using convprobe::Verdict;
namespace fault = convprobe::fault;

/// The fault id grammar in words, built from the same tables the parser uses.
std::string id_forms() {
  std::string kinds, axes;
  for (const auto& k : fault::kKinds) kinds += (kinds.empty() ? "" : ", ") + std::string(k.name);
  for (const auto& [axis, name] : convprobe::kAxisNames) axes += (axes.empty() ? "" : ", ") + std::string(name);
  return "fault ids are fault.<kind>[@<axis><op><value>] with kind one of " + kinds + "; axis one of " +
         axes + "; op one of >, >=, <; value a non-negative integer (e.g. fault.hang@hw>42)";
}

bool parse_unlisted(const std::string& id, Candidate* out, std::string* err) {
  fault::Spec spec;
  if (!fault::parse_id(id, &spec, err)) return false;
  *out = Candidate{id, "fault", "", {}};
  return true;
}

Verdict expected_verdict(const Problem& problem, const std::string& id) {
  fault::Spec spec;
  std::string err;
  // An id the spec cannot parse must be refused by the backend too.
  return fault::parse_id(id, &spec, &err) ? fault::expected_verdict(spec, problem) : Verdict::failed;
}

}  // namespace

CONVPROBE_DEFINE_BACKEND_TRAITS(fault) {
  convprobe::BackendTraits traits;
  traits.unlisted_ids = convprobe::UnlistedIds{&parse_unlisted, id_forms()};
  convprobe::SelftestPlan plan;
  plan.kind = convprobe::SelftestPlan::Kind::every_candidate;
  plan.what = "CPU faults over gfx1010-sizes";
  plan.in_short = "CPU";
  plan.expected = &expected_verdict;
  plan.listed_ids = &fault::default_ids;
  traits.selftest = plan;
  return traits;
}
