// The errata matcher must agree with cudnn-frontend's check_errata (FACTS §2): the policy emitter's files are
// read by both PyTorch and convprobe.
#include "vendor/cudnn_errata.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace convprobe::cudnn {
namespace {

constexpr uint64_t k919 = 91900;

Errata parse_ok(const std::string& text) {
  Errata e;
  std::string err;
  EXPECT_TRUE(e.parse(text, "test.json", &err)) << err;
  return e;
}

std::string parse_error(const std::string& text) {
  Errata e;
  std::string err;
  EXPECT_FALSE(e.parse(text, "test.json", &err));
  return err;
}

TEST(CPU_Errata, EngineRuleBlocksEveryConfigOfThatEngineOnly) {
  const Errata e = parse_ok(R"({"version":1,"rules":[{"rule_id":"r","operation":"ConvFwd","engine":1}]})");
  EXPECT_TRUE(e.blocks("ConvFwd_eng1", k919));
  EXPECT_TRUE(e.blocks("ConvFwd_eng1_k2=3_k13=0", k919));
  EXPECT_FALSE(e.blocks("ConvFwd_eng10_k2=3", k919))
      << "the '_' after the engine index stops prefix collisions";
  EXPECT_FALSE(e.blocks("ConvBwdData_eng1_k2=3", k919));
  EXPECT_FALSE(e.blocks("ConvFwd_eng", k919));
}

TEST(CPU_Errata, KnobStringsAreSubstringsOfTheTag) {
  const Errata e = parse_ok(R"({"rules":[{"operation":"ConvFwd","engine":67,"knob":["k2=1"]}]})");
  EXPECT_TRUE(e.blocks("ConvFwd_eng67_k2=1_k13=0", k919));
  EXPECT_TRUE(e.blocks("ConvFwd_eng67_k2=18_k13=0", k919)) << "frontend semantics: k2=1 also hits k2=18";
  EXPECT_FALSE(e.blocks("ConvFwd_eng67_k2=5_k13=0", k919));
  const Errata whole = parse_ok(R"({"rules":[{"operation":"ConvFwd","engine":67,"knob":["k2=1_k13=0"]}]})");
  EXPECT_TRUE(whole.blocks("ConvFwd_eng67_k2=1_k13=0", k919));
  EXPECT_FALSE(whole.blocks("ConvFwd_eng67_k2=18_k13=0", k919)) << "a whole knob suffix pins the config";
}

TEST(CPU_Errata, AllKnobsOfARuleMustMatch) {
  const Errata e = parse_ok(R"({"rules":[{"operation":"ConvFwd","engine":67,"knob":["k2=1","k13=1"]}]})");
  EXPECT_TRUE(e.blocks("ConvFwd_eng67_k2=1_k13=1", k919));
  EXPECT_FALSE(e.blocks("ConvFwd_eng67_k2=1_k13=0", k919));
}

TEST(CPU_Errata, VersionRangeIsHalfOpen) {
  const Errata e = parse_ok(
      R"({"rules":[{"operation":"ConvFwd","engine":5,"cudnn_version_start":91000,"cudnn_version_end":91900}]})");
  EXPECT_FALSE(e.blocks("ConvFwd_eng5", 91900)) << "end is exclusive";
  EXPECT_TRUE(e.blocks("ConvFwd_eng5", 91899));
  EXPECT_TRUE(e.blocks("ConvFwd_eng5", 91000));
  EXPECT_FALSE(e.blocks("ConvFwd_eng5", 90999));
}

TEST(CPU_Errata, EndOfMinusOneMeansNoEnd) {
  const Errata e = parse_ok(R"({"rules":[{"operation":"ConvFwd","engine":5,"cudnn_version_end":-1}]})");
  EXPECT_TRUE(e.blocks("ConvFwd_eng5", 99999999));
  ASSERT_EQ(e.rules().size(), 1u);
  EXPECT_EQ(e.rules()[0].version_end, UINT64_MAX);
}

TEST(CPU_Errata, FirstMatchingRuleWins) {
  const Errata e = parse_ok(R"({"rules":[{"rule_id":"a","operation":"ConvFwd","engine":7},
                                          {"rule_id":"b","operation":"ConvFwd","engine":7,"knob":["k2=1"]}]})");
  const auto rule = e.blocking_rule("ConvFwd_eng7_k2=1", k919);
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(rule->rule_id, "a");
}

TEST(CPU_Errata, ShapeFieldsAreIgnoredSoTheRuleBlocksEveryShape) {
  const Errata e =
      parse_ok(R"({"rules":[{"operation":"ConvFwd","engine":38,"input_shape":[1,3,224,224,-1]}]})");
  EXPECT_TRUE(e.blocks("ConvFwd_eng38_k2=1", k919));
}

TEST(CPU_Errata, EngineAsStringIsAnErrorNamingTheField) {
  const std::string err = parse_error(R"({"rules":[{"operation":"ConvFwd","engine":"38"}]})");
  EXPECT_NE(err.find("rules[0].engine"), std::string::npos) << err;
  EXPECT_NE(err.find("\"38\""), std::string::npos) << err;
  EXPECT_NE(err.find("integer"), std::string::npos) << err;
}

TEST(CPU_Errata, MalformedInputIsAnError) {
  EXPECT_NE(parse_error("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_error(R"({"rules":{}})").find("\"rules\""), std::string::npos);
  EXPECT_NE(parse_error(R"({"rules":[{"engine":1}]})").find("rules[0].operation"), std::string::npos);
  EXPECT_NE(
      parse_error(R"({"rules":[{"operation":"ConvFwd","engine":1,"knob":"k2=1"}]})").find("rules[0].knob"),
      std::string::npos);
  EXPECT_NE(parse_error(R"({"rules":[{"operation":"ConvFwd","engine":1,"cudnn_version_end":"9"}]})")
                .find("cudnn_version_end"),
            std::string::npos);
}

TEST(CPU_Errata, NoRulesKeyMeansNothingBlocked) {
  const Errata e = parse_ok(R"({"version":1})");
  EXPECT_TRUE(e.rules().empty());
  EXPECT_FALSE(e.blocks("ConvFwd_eng0", k919));
}

TEST(CPU_Errata, UnopenableFileMeansNoErrataWithANote) {
  Errata e;
  std::string note, err;
  EXPECT_TRUE(e.load_file("/nonexistent/errata.json", &note, &err));
  EXPECT_TRUE(e.rules().empty());
  EXPECT_NE(note.find("cannot be opened"), std::string::npos) << note;
}

TEST(CPU_Errata, LoadsFromTheEnvironmentVariable) {
  const std::string path = testing::TempDir() + "/convprobe_errata_test.json";
  std::ofstream(path) << R"({"rules":[{"operation":"ConvBwdFilter","engine":68}]})";
  ASSERT_EQ(setenv("CUDNN_ERRATA_JSON_FILE", path.c_str(), 1), 0);
  Errata e;
  std::string note, err;
  EXPECT_TRUE(e.load_from_env(&note, &err)) << err;
  unsetenv("CUDNN_ERRATA_JSON_FILE");
  std::remove(path.c_str());
  EXPECT_TRUE(e.blocks("ConvBwdFilter_eng68_k2=5", k919));
  EXPECT_EQ(e.origin(), path);
}

/// The writer (what the policy emitter renders rules with) and the reader agree: written rules read back to
/// the same rules, "no end" included.
TEST(CPU_Errata, WrittenRulesReadBackTheSame) {
  std::vector<ErrataRule> rules(3);
  rules[0] = {"convprobe:ConvFwd_eng67_k2=5_k13=0", "ConvFwd", 67, {"k2=5_k13=0"}, 91900, 92000};
  rules[1] = {"", "ConvBwdData", 23, {}, 0, UINT64_MAX};
  rules[2] = {"two knobs", "ConvBwdFilter", 1, {"k2=1", "k13=0"}, 90800, 91500};
  const std::string text = errata_file_text(rules);
  EXPECT_EQ(text.back(), '\n');
  const Errata e = parse_ok(text);
  ASSERT_EQ(e.rules().size(), rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(e.rules()[i].rule_id, rules[i].rule_id);
    EXPECT_EQ(e.rules()[i].operation, rules[i].operation);
    EXPECT_EQ(e.rules()[i].engine, rules[i].engine);
    EXPECT_EQ(e.rules()[i].knobs, rules[i].knobs);
    EXPECT_EQ(e.rules()[i].version_start, rules[i].version_start);
    EXPECT_EQ(e.rules()[i].version_end, rules[i].version_end);
  }
  EXPECT_TRUE(e.blocks("ConvFwd_eng67_k2=5_k13=0", k919));
  EXPECT_TRUE(e.blocks("ConvBwdData_eng23_k1=1", 1));
}

/// What cudnn-frontend needs to see: "engine" an integer, "knob" only with knobs, "no end" as -1, no shapes.
TEST(CPU_Errata, WriterFollowsTheReadersSchema) {
  const auto j = to_json(ErrataRule{"r", "ConvFwd", 38, {}, 0, UINT64_MAX});
  EXPECT_TRUE(j.at("engine").is_number_integer());
  EXPECT_FALSE(j.contains("knob"));
  EXPECT_EQ(j.at("cudnn_version_end").get<int64_t>(), -1);
  EXPECT_EQ(j.at("cudnn_version_start").get<int64_t>(), 0);
  for (const char* shape : {"shape_format", "input_shape", "filter_shape"}) EXPECT_FALSE(j.contains(shape));
}

TEST(CPU_Errata, ParsesAnAlreadyParsedDocumentAlike) {
  Errata e;
  std::string err;
  EXPECT_FALSE(e.parse(nlohmann::json::parse(R"({"rules":[{"operation":"ConvFwd","engine":"38"}]})"),
                       "errata file 'x.json'", &err));
  EXPECT_NE(err.find("errata file 'x.json': rules[0].engine"), std::string::npos) << err;
  EXPECT_TRUE(
      e.parse(nlohmann::json::parse(R"({"rules":[{"operation":"ConvFwd","engine":38}]})"), "x", &err));
  EXPECT_EQ(e.rules().size(), 1u);
}

}  // namespace
}  // namespace convprobe::cudnn
