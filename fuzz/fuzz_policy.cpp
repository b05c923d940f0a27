// libFuzzer target: policy files read back, whatever format wrote them (read_policy_source: convprobe JSON,
// miopen-env / onednn-env profiles, cudnn errata JSON; load_policy; parse_profile). Properties:
//  - no exception escapes, and every rejection names the file (verify and run exit 2 with it);
//  - an accepted convprobe policy, written again by the convprobe emitter, reads back the same, and
//    load_policy reads the same policy as read_policy_source;
//  - an accepted profile, written again as the profile emitters write it (export NAME=shell_quote(VALUE)),
//    reads back the same environment.
#include <map>
#include <nlohmann/json.hpp>

#include "core/shell_quote.hpp"
#include "fuzz_check.hpp"
#include "policy/emitters.hpp"
#include "policy/policy_file.hpp"
#include "policy/policy_source.hpp"

namespace {

using convprobe::fuzz::input_file;

std::string policy_json(const convprobe::Policy& p) { return convprobe::policy_to_json(p).dump(); }

void check_convprobe_round_trip(const convprobe::PolicySource& src, std::string_view text) {
  const convprobe::Policy& policy = *src.policy;
  convprobe::EmitInput in;
  in.policy = &policy;
  const std::vector<convprobe::StoredTrial> no_trials;
  in.trials = &no_trials;
  const std::string emitted = convprobe::find_emitter("convprobe")->emit(in).content;
  const std::string path = input_file(emitted);
  convprobe::PolicySource again;
  std::string err;
  FUZZ_CHECK(convprobe::read_policy_source(path, &again, &err), "{:?} emitted as {:?} does not read back: {}",
             text, emitted, err);
  FUZZ_CHECK(again.format == "convprobe" && again.policy && policy_json(*again.policy) == policy_json(policy),
             "{:?} emitted as {:?} reads back as another policy", text, emitted);
}

void check_profile_round_trip(const std::map<std::string, std::string>& env, std::string_view text) {
  std::string rewritten;
  for (const auto& [name, value] : env)
    rewritten += "export " + name + "=" + convprobe::shell_quote(value) + "\n";
  std::map<std::string, std::string> back;
  std::string err;
  FUZZ_CHECK(convprobe::parse_profile(rewritten, &back, &err), "{:?} rewritten as {:?} does not parse: {}",
             text, rewritten, err);
  FUZZ_CHECK(back == env, "{:?} rewritten as {:?} reads back another environment", text, rewritten);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  const std::string path = input_file(text);

  convprobe::PolicySource src;
  std::string err;
  const bool read = convprobe::read_policy_source(path, &src, &err);
  FUZZ_CHECK(read || err.find(path) != std::string::npos, "{:?}: the error does not name the file: {}", text,
             err);

  convprobe::Policy loaded;
  std::string load_err;
  const bool load = convprobe::load_policy(path, &loaded, &load_err);
  FUZZ_CHECK(load || load_err.find(path) != std::string::npos,
             "{:?}: load_policy's error does not name the file: {}", text, load_err);
  if (read && src.format == "convprobe") {
    FUZZ_CHECK(src.policy.has_value(), "{:?}: a convprobe policy without its Policy", text);
    const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    FUZZ_CHECK(
        doc.is_object() && doc.value("schema_version", nlohmann::json()) == convprobe::kPolicySchemaVersion,
        "{:?}: accepted with a schema_version that is not {}", text, convprobe::kPolicySchemaVersion);
    FUZZ_CHECK(load && policy_json(loaded) == policy_json(*src.policy),
               "{:?}: read_policy_source and load_policy disagree ({})", text, load_err);
  }

  std::map<std::string, std::string> env;
  if (convprobe::parse_profile(std::string(text), &env, &err)) check_profile_round_trip(env, text);

  // The emitter's output is written to the same in-memory file: check the first result before that.
  if (read && src.format == "convprobe") check_convprobe_round_trip(src, text);
  return 0;
}
