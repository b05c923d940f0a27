// libFuzzer target: cuDNN errata files, cudnn::Errata::parse and the matcher
// (src/vendor/cudnn_errata.cpp, which links without CUDA). Properties:
//  - every rule blocks a plan tag made of its own operation, engine and knobs at its start version, and
//    does not match at its (exclusive) end version;
//  - for a JSON object with "rules", the matcher and verify's reader (read_policy_source, which checks an
//    errata file before verify hands it to PyTorch) accept and reject the same files, with the same count.
#include <nlohmann/json.hpp>

#include "vendor/cudnn_errata.hpp"
#include "fuzz_check.hpp"
#include "policy/policy_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  const std::string input(text);
  convprobe::cudnn::Errata errata;
  std::string err;
  const bool parsed = errata.parse(input, "fuzz.json", &err);
  FUZZ_CHECK(parsed || !err.empty(), "{:?} was rejected without a message", text);
  if (parsed) {
    for (const auto& rule : errata.rules()) {
      if (rule.version_start >= rule.version_end) continue;  // an empty range blocks nothing
      std::string tag = rule.operation + "_eng" + std::to_string(rule.engine);
      for (const auto& knob : rule.knobs) tag += "_" + knob;
      FUZZ_CHECK(convprobe::cudnn::rule_matches(rule, tag, rule.version_start),
                 "{:?}: rule {:?} does not block its own tag {:?} at version {}", text, rule.rule_id, tag,
                 rule.version_start);
      FUZZ_CHECK(!convprobe::cudnn::rule_matches(rule, tag, rule.version_end),
                 "{:?}: rule {:?} blocks {:?} at its end version {}", text, rule.rule_id, tag,
                 rule.version_end);
      FUZZ_CHECK(errata.blocks(tag, rule.version_start), "{:?}: the matcher lets {:?} through", text, tag);
    }
  }

  // The differential's domain: what read_policy_source classifies as an errata file.
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{') return 0;
  const auto doc = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("rules")) return 0;
  convprobe::PolicySource src;
  std::string why;
  const bool read = convprobe::read_policy_source(convprobe::fuzz::input_file(text), &src, &why);
  FUZZ_CHECK(read == parsed, "{:?}: the matcher {} it ({}), verify's reader {} it ({})", text,
             parsed ? "accepts" : "rejects", err, read ? "accepts" : "rejects", why);
  FUZZ_CHECK(!read || src.errata_rules == errata.rules().size(),
             "{:?}: {} rules for the matcher, {} for verify", text, errata.rules().size(), src.errata_rules);
  return 0;
}
