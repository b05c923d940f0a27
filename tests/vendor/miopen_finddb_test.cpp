// Find-db keys and values (vendor/miopen_finddb.hpp) against keys MIOpen printed and records MIOpen wrote.
#include "vendor/miopen_finddb.hpp"

#include <gtest/gtest.h>

namespace convprobe::miopen {
namespace {

std::string key_of(const std::string& descriptor) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(descriptor, &p, &err)) << err;
  std::string why;
  const auto key = finddb_key(p, &why);
  EXPECT_TRUE(key.has_value()) << descriptor << ": " << why;
  return key.value_or("");
}

TEST(FindDbKey, TheGfx1010SeedCaseInEveryDirection) {
  // sources-steering-fleets.md §2.2: for B and W MIOpen's "in" is dy, so the channels and extents swap.
  EXPECT_EQ(key_of("mb1ic3ih44oc64kh3ph1"), "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F");
  EXPECT_EQ(key_of("bwdd_mb1ic3ih44oc64kh3ph1"), "64-44-44-3x3-3-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-B");
  EXPECT_EQ(key_of("bwdw_mb1ic3ih44oc64kh3ph1"), "64-44-44-3x3-3-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-W");
}

TEST(FindDbKey, KeysFromMiopenIssues) {
  // ROCm/MIOpen#2814 and #784 (logged by MIOpen itself).
  EXPECT_EQ(key_of("mb16ic64ih56oc64kh1"), "64-56-56-1x1-64-56-56-16-0x0-1x1-1x1-0-NCHW-FP32-F");
  EXPECT_EQ(key_of("mb2ic256ih76iw54oc1024kh1"), "256-76-54-1x1-1024-76-54-2-0x0-1x1-1x1-0-NCHW-FP32-F");
}

TEST(FindDbKey, StrideDilationGroupsTypeAndLayout) {
  // Output 28 = (56 + 2 - 3) / 2 + 1; benchdnn's dilation 1 is MIOpen's 2; g4 adds the optional "_g4" part.
  EXPECT_EQ(key_of("g4mb8ic64ih56oc128kh3sh2ph1"), "64-56-56-3x3-128-28-28-8-1x1-2x2-1x1-0-NCHW-FP32-F_g4");
  EXPECT_EQ(key_of("mb1ic8ih20oc8kh3ph2dh1"), "8-20-20-3x3-8-20-20-1-2x2-1x1-2x2-0-NCHW-FP32-F");
  // NHWC is written once per tensor (in, weights, out); FP16 and BF16 are MIOpen's type names.
  EXPECT_EQ(key_of("f16_nhwc_mb1ic3ih44oc64kh3ph1"),
            "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NHWC-NHWC-NHWC-FP16-F");
  EXPECT_EQ(key_of("bf16_mb1ic3ih44oc64kh3ph1"), "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-BF16-F");
}

TEST(FindDbKey, ThreeDAndOneD) {
  EXPECT_EQ(key_of("mb2ic4id8ih8oc16kd3kh3pd1ph1"),
            "4-8-8-8-3x3x3-16-8-8-8-2-1x1x1-1x1x1-1x1x1-0-NCDHW-FP32-F");
  EXPECT_EQ(key_of("nhwc_mb2ic4id8ih8oc16kd3kh3pd1ph1"),
            "4-8-8-8-3x3x3-16-8-8-8-2-1x1x1-1x1x1-1x1x1-0-NDHWC-NDHWC-NDHWC-FP32-F");
  // 1-D runs as 2-D with H = 1 (how the MIOpen backend gives it to MIOpen).
  EXPECT_EQ(key_of("mb1ic4iw100oc8kw5pw2"), "4-1-100-1x5-8-1-100-1-0x2-1x1-1x1-0-NCHW-FP32-F");
}

TEST(FindDbKey, NoKeyForWhatMiopenCannotBeGiven) {
  Problem p;
  std::string err, why;
  ASSERT_TRUE(parse_problem("mb1ic3ih44oc64kh3ph1oh45", &p, &err)) << err;  // bottom pad 2, top pad 1
  ASSERT_FALSE(p.symmetric());
  EXPECT_FALSE(finddb_key(p, &why));
  EXPECT_NE(why.find("asymmetric padding"), std::string::npos) << why;
  ASSERT_TRUE(parse_problem("tf32_mb1ic3ih44oc64kh3ph1", &p, &err)) << err;
  EXPECT_FALSE(finddb_key(p, &why));
  EXPECT_NE(why.find("TF32"), std::string::npos) << why;
}

TEST(FindDbFormat, ChangesWithMiopen2_20_0WhichShippedWithRocm5_6) {
  EXPECT_EQ(finddb_format({2, 17, 0}), FindDbFormat::v1_0);  // ROCm 5.2
  EXPECT_EQ(finddb_format({2, 19, 0}), FindDbFormat::v1_0);  // ROCm 5.4, 5.5
  EXPECT_EQ(finddb_format({2, 20, 0}), FindDbFormat::v2_0);  // ROCm 5.6, 5.7
  EXPECT_EQ(finddb_format({3, 5, 1}), FindDbFormat::v2_0);   // ROCm 7.x
  EXPECT_EQ(to_string(FindDbFormat::v1_0), "1.0");
}

TEST(FindDbVersion, ParsesTheFingerprintsText) {
  Version v;
  ASSERT_TRUE(parse_version("MIOpen 2.17.0", &v));
  EXPECT_EQ(v, (Version{2, 17, 0}));
  ASSERT_TRUE(parse_version("MIOpen 2.20.0 (HIP 5.7.31921) [test double]", &v));  // as the backend says
  EXPECT_EQ(v, (Version{2, 20, 0}));
  ASSERT_TRUE(parse_version("3.5.1", &v));
  EXPECT_EQ(v.to_string(), "3.5.1");
  for (const char* bad : {"MIOpen (version unknown)", "", "2.17", "2.17.0.1", "MIOpen 2.x.0", "2.17.-1"}) {
    EXPECT_FALSE(parse_version(bad, &v)) << bad;
  }
}

TEST(FindDbValue, ParsesBothFormatsSortedByTime) {
  const auto v1 = parse_finddb_value(
      "miopenConvolutionFwdAlgoGEMM:GemmFwdRest,0.5,190512,miopenConvolutionFwdAlgoGEMM,<unused>;"
      "miopenConvolutionFwdAlgoDirect:ConvOclDirectFwd,0.25,0,miopenConvolutionFwdAlgoDirect,<unused>");
  ASSERT_EQ(v1.size(), 2u);
  EXPECT_EQ(v1[0], (FindDbEntry{"ConvOclDirectFwd", "miopenConvolutionFwdAlgoDirect", 0.25, 0}));
  EXPECT_EQ(v1[1], (FindDbEntry{"GemmFwdRest", "miopenConvolutionFwdAlgoGEMM", 0.5, 190512}));
  const auto v2 = parse_finddb_value("GemmFwdRest:0.02352,0,miopenConvolutionFwdAlgoGEMM");
  ASSERT_EQ(v2.size(), 1u);
  EXPECT_EQ(v2[0], (FindDbEntry{"GemmFwdRest", "miopenConvolutionFwdAlgoGEMM", 0.02352, 0}));
  // Ill-formed items are skipped, as MIOpen skips them.
  EXPECT_EQ(parse_finddb_value("junk;GemmFwdRest:x,0,a;:1,2;Naive:1,0,miopenConvolutionFwdAlgoDirect").size(),
            1u);
  EXPECT_TRUE(parse_finddb_value("").empty());
}

TEST(FindDbValue, AlgorithmNamesAreMiopensDirectionalOnes) {
  EXPECT_EQ(algorithm_name("gemm", Direction::fwd), "miopenConvolutionFwdAlgoGEMM");
  EXPECT_EQ(algorithm_name("direct", Direction::bwd_data), "miopenConvolutionBwdDataAlgoDirect");
  EXPECT_EQ(algorithm_name("implicit_gemm", Direction::bwd_weights),
            "miopenConvolutionBwdWeightsAlgoImplicitGEMM");
  EXPECT_EQ(algorithm_name("winograd", Direction::fwd), "miopenConvolutionFwdAlgoWinograd");
  EXPECT_EQ(algorithm_name("fft", Direction::bwd_data), "miopenConvolutionBwdDataAlgoFFT");
  EXPECT_EQ(algorithm_name("fft", Direction::bwd_weights), "");
  EXPECT_EQ(algorithm_name("unknown", Direction::fwd), "");
}

/// develop's reader turns a 1.0 item into a 2.0 one (db_record.cpp:97-118, TransformFindDbItem10to20):
/// id = the solver, values = "<time>,<workspace>," + the old id.
std::string transform_10_to_20(const std::string& item) {
  const auto colon = item.find(':');
  const std::string id = item.substr(0, colon), values = item.substr(colon + 1);
  const auto solver_end = values.find(',');
  const auto time_end = values.find(',', solver_end + 1);
  const auto workspace_end = values.find(',', time_end + 1);
  return values.substr(0, solver_end) + ":" + values.substr(solver_end + 1, workspace_end - solver_end - 1) +
         "," + id;
}

TEST(FindDbValue, BothFormatsAsMiopenWritesThem) {
  const FindDbEntry e{"ConvHipImplicitGemmForwardV4R4Xdlops_Padded_Gemm",
                      "miopenConvolutionFwdAlgoImplicitGEMM", 0.02352, 0};
  const std::string v1 = finddb_value(e, FindDbFormat::v1_0), v2 = finddb_value(e, FindDbFormat::v2_0);
  EXPECT_EQ(v1,
            "miopenConvolutionFwdAlgoImplicitGEMM:ConvHipImplicitGemmForwardV4R4Xdlops_Padded_Gemm,0.02352,0,"
            "miopenConvolutionFwdAlgoImplicitGEMM,<unused>");
  EXPECT_EQ(
      v2, "ConvHipImplicitGemmForwardV4R4Xdlops_Padded_Gemm:0.02352,0,miopenConvolutionFwdAlgoImplicitGEMM");
  EXPECT_EQ(transform_10_to_20(v1), v2);
  // Times as std::ostream writes a float: 6 significant digits, exponent when large.
  EXPECT_EQ(
      finddb_value({"GemmFwdRest", "miopenConvolutionFwdAlgoGEMM", 1234567.0, 4096}, FindDbFormat::v2_0),
      "GemmFwdRest:1.23457e+06,4096,miopenConvolutionFwdAlgoGEMM");
  EXPECT_EQ(finddb_line({"3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F",
                         {"GemmFwdRest", "miopenConvolutionFwdAlgoGEMM", 0.5, 0}},
                        FindDbFormat::v1_0),
            "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,0.5,0,"
            "miopenConvolutionFwdAlgoGEMM,<unused>");
}

}  // namespace
}  // namespace convprobe::miopen
