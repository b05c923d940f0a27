// Hostile strings in problem keys, details, candidate ids and versions cannot inject shell or break JSON; the
// profiles pass `sh -n` and, sourced under `set -u`, change exactly the variables they announce; the errata
// file follows the cudnn-frontend reader's schema (FACTS §2).
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "emitter_fixtures.hpp"
#include "policy/emit_cudnn_errata.hpp"
#include "policy/policy_file.hpp"

namespace convprobe {
namespace {

const std::filesystem::path kTmp =
    std::filesystem::temp_directory_path() / ("convprobe_policy_safety-" + std::to_string(::getpid()));
const std::string kCanary = (kTmp / "pwned").string();

std::string hostile() {
  return "a'b\"c\\d\n export EVIL=1; $(touch " + kCanary + ") `touch " + kCanary +
         "` \r\n# \xc3\xbc\xe2\x80\x8f \x1b[31m";
}

/// Put hostile text everywhere a trial carries free text.
std::vector<StoredTrial> poison(std::vector<StoredTrial> trials) {
  for (auto& t : trials) {
    t.result.detail = hostile();
    t.problem += hostile();
  }
  return trials;
}

std::string run(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  *status = pclose(pipe);
  return out;
}

std::set<std::string> env_lines(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.insert(l);
  return lines;
}

/// Source `profile` in a clean sh with set -u and return the variables it added or changed.
std::set<std::string> sourced_changes(const std::string& profile) {
  std::filesystem::create_directories(kTmp);
  const auto path = kTmp / "profile.sh";
  std::ofstream(path, std::ios::binary) << profile;
  int status = 0;
  run("sh -n '" + path.string() + "' 2>&1", &status);
  EXPECT_EQ(status, 0) << "sh -n rejects the profile:\n" << profile;
  const std::string base = "env -i PATH=/usr/bin:/bin sh -c 'set -u; ";
  const auto before = env_lines(run(base + "env' 2>&1", &status));
  const auto after = env_lines(run(base + ". \"" + path.string() + "\" && env' 2>&1", &status));
  EXPECT_EQ(status, 0) << profile;
  std::set<std::string> changed;
  for (const auto& l : after) {
    if (!before.count(l) && l.rfind("_=", 0) != 0) changed.insert(l);
  }
  return changed;
}

EmitResult emit(const std::string& backend, const std::vector<StoredTrial>& trials,
                EmitResult (*emitter)(const EmitInput&), double block_slower = 0) {
  static Policy policy;
  PolicyOptions o;
  o.block_slower = block_slower;
  policy = derive_policy(backend, trials, o);
  policy.backend_version = hostile();
  return emitter(EmitInput{&policy, &trials, "/tmp/it's a \"path\"/$(x)"});
}

TEST(EmitterSafety, MiopenProfileSourcesCleanlyWithHostileText) {
  std::filesystem::remove(kCanary);
  const auto trials = poison(test::miopen_trials());
  const auto r = emit("miopen", trials, test::emitter_of("miopen-env"));
  const auto changed = sourced_changes(r.content);
  EXPECT_EQ(changed,
            (std::set<std::string>{"MIOPEN_DEBUG_CONV_GEMM=0", "MIOPEN_DEBUG_CONV_FFT=0",
                                   "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD=0",
                                   "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1", "MIOPEN_DEBUG_CONV_DIRECT=1"}));
  EXPECT_FALSE(std::filesystem::exists(kCanary));
  for (char ch : r.content) EXPECT_TRUE(ch == '\n' || (ch >= 0x20 && ch < 0x7f)) << int(ch);
}

TEST(EmitterSafety, OnednnProfileSourcesCleanlyWithHostileText) {
  std::filesystem::remove(kCanary);
  const auto r = emit("onednn", poison(test::onednn_trials()), test::emitter_of("onednn-env"));
  EXPECT_EQ(sourced_changes(r.content), (std::set<std::string>{"ONEDNN_MAX_CPU_ISA=AVX2"}));
  EXPECT_FALSE(std::filesystem::exists(kCanary));
}

TEST(EmitterSafety, ConvprobeJsonParsesBackToTheSameStrings) {
  const auto trials = poison(test::fault_trials());
  const auto r = emit("fault", trials, test::emitter_of("convprobe"));
  Policy back;
  std::string err;
  ASSERT_TRUE(policy_from_json(nlohmann::json::parse(r.content), &back, &err)) << err;
  ASSERT_EQ(back.blocked.size(), 1u);
  EXPECT_EQ(back.blocked[0].evidence[0].detail, hostile());
  EXPECT_EQ(back.backend_version, hostile());
}

/// The reader's schema (cudnn_frontend_Errata.h check_rule), as FACTS §2 describes it.
void expect_errata_schema(const nlohmann::json& doc) {
  ASSERT_TRUE(doc.is_object());
  ASSERT_TRUE(doc.contains("rules") && doc["rules"].is_array());
  const std::regex knob(R"(^k[0-9]+=-?[0-9]+(_k[0-9]+=-?[0-9]+)*$)");
  for (const auto& r : doc["rules"]) {
    ASSERT_TRUE(r["operation"].is_string());
    EXPECT_TRUE(std::set<std::string>({"ConvFwd", "ConvBwdData", "ConvBwdFilter"}).count(r["operation"]));
    EXPECT_TRUE(r["engine"].is_number_integer()) << r.dump();  // a string breaks every PyTorch conv
    if (r.contains("knob")) {
      ASSERT_TRUE(r["knob"].is_array());
      EXPECT_EQ(r["knob"].size(), 1u) << "the whole knob suffix goes in as one string: " << r.dump();
      for (const auto& k : r["knob"]) EXPECT_TRUE(std::regex_match(k.get<std::string>(), knob)) << k;
    }
    ASSERT_TRUE(r["cudnn_version_start"].is_number_integer());
    ASSERT_TRUE(r["cudnn_version_end"].is_number_integer());
    const auto end = r["cudnn_version_end"].get<int64_t>();
    EXPECT_TRUE(end == -1 || end > r["cudnn_version_start"].get<int64_t>()) << r.dump();
    for (const char* shape : {"shape_format", "input_shape", "filter_shape", "arch", "comment"}) {
      EXPECT_FALSE(r.contains(shape)) << shape << " in " << r.dump();
    }
  }
}

TEST(EmitterSafety, ErrataFollowsTheReadersSchemaAndKeepsPytorchBuiltins) {
  const auto trials = poison(test::cudnn_trials());
  const auto r = emit("cudnn", trials, test::emitter_of("cudnn-errata"), 1.2);
  const auto doc = nlohmann::json::parse(r.content);
  expect_errata_schema(doc);
  std::set<std::string> seen;
  for (const auto& rule : doc["rules"]) {
    seen.insert(fmt::format("{}/{}/{}/{}", rule["operation"].get<std::string>(),
                            rule["engine"].get<int64_t>(),
                            rule.contains("knob") ? rule["knob"][0].get<std::string>() : "",
                            rule["cudnn_version_start"].get<int64_t>()));
  }
  EXPECT_TRUE(seen.count("ConvBwdData/23//0"));        // PyTorch built-in, all versions
  EXPECT_TRUE(seen.count("ConvFwd/23//90800"));        // PyTorch built-in, [90800, 91500)
  EXPECT_TRUE(seen.count("ConvFwd/67/k2=5_k13=0/0"));  // version unknown (hostile text) -> every version
  EXPECT_TRUE(seen.count("ConvFwd/38/k2=1_k13=0/0"));  // blocked as slow
  EXPECT_FALSE(seen.count("ConvFwd/1//0"));            // the winner stays
  for (const auto& n : r.notes) {
    if (n.rfind("export ", 0) != 0) continue;
    EXPECT_EQ(n, "export CUDNN_ERRATA_JSON_FILE='/tmp/it'\\''s a \"path\"/$(x)'");
  }
}

TEST(EmitterSafety, ErrataVersionRangeIsTheMeasuredMinorSeries) {
  const auto trials = test::cudnn_trials();
  Policy policy = derive_policy("cudnn", trials, {});
  policy.backend_version = "cuDNN 9.19.0";
  const auto doc =
      nlohmann::json::parse(test::emitter_of("cudnn-errata")(EmitInput{&policy, &trials, ""}).content);
  const auto& first = doc["rules"][0];
  EXPECT_EQ(first["cudnn_version_start"], 91900);
  EXPECT_EQ(first["cudnn_version_end"], 92000);  // exclusive
}

TEST(EmitterSafety, PlanTagParsing) {
  PlanTag t;
  ASSERT_TRUE(parse_plan_tag("ConvBwdFilter_eng68_k2=5_k13=0_k18=1_k25=0_k27=1_k28=1", &t));
  EXPECT_EQ(t.operation, "ConvBwdFilter");
  EXPECT_EQ(t.engine, 68);
  EXPECT_EQ(t.knobs, "k2=5_k13=0_k18=1_k25=0_k27=1_k28=1");
  ASSERT_TRUE(parse_plan_tag("ConvFwd_eng5", &t));
  EXPECT_EQ(t.knobs, "");
  ASSERT_TRUE(parse_plan_tag("ConvFwd_eng67_k12=-1", &t));
  EXPECT_FALSE(parse_plan_tag("legacy.fwd.IMPLICIT_GEMM", &t));
  EXPECT_FALSE(parse_plan_tag("ConvFwd_eng67_k2=5\"", &t));
  EXPECT_FALSE(parse_plan_tag("ConvFwd_engX", &t));
  EXPECT_EQ(cudnn_version_number("cuDNN 9.19.0"), 91900);
  EXPECT_EQ(cudnn_version_number("unknown"), -1);
}

}  // namespace
}  // namespace convprobe
