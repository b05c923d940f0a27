// MIOpen's command log and MIOpenDriver command files (src/sources/miopen_command_log.cpp). The log lines are
// MIOpen's own: the strings its test pins (ROCm/MIOpen develop test/gtest/log.cpp:49-60) and what its
// printing code writes (rocm-5.2.0 src/convolution_api.cpp:305-399, src/batch_norm_api.cpp:54-105).
#include "sources/miopen_command_log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe::sources {
namespace {

constexpr std::string_view kLogConv =
    "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 128 -c 3 -H 32 -W 32 -k 64 -y 3 -x "
    "3 "
    "-p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 1 -t 1";
constexpr std::string_view kLogFindConv =
    "MIOpen(HIP): Command [LogCmdFindConvolution] ./bin/MIOpenDriver conv -n 128 -c 3 -H 32 -W 32 -k 64 -y 3 "
    "-x 3 -p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 1 -t 1";
constexpr std::string_view kLogFusionConvBiasActiv =
    "MIOpen(HIP): Command [LogCmdFusion] ./bin/MIOpenDriver CBAInfer -F 4 -n 128 -c 3 -H 32 -W 32 -k 64 -y 3 "
    "-x 3 -p 1 -q 1 -u 1 -v 1 -l 1 -j 1";
constexpr std::string_view kLogBnormActiv =
    "MIOpen(HIP): Command [LogCmdFusion] ./bin/MIOpenDriver CBAInfer -F 2 -n 64 -c 64 -H 56 -W 56 -m 1";

Problem descriptor(std::string_view text) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(text, &p, &err)) << text << ": " << err;
  return p;
}

Tally read(const std::vector<std::string_view>& lines, const std::string& origin = "train.log") {
  Tally tally;
  MiopenLogReader reader(origin, &tally);
  for (std::string_view line : lines) reader.feed_line(line);
  reader.finish();
  return tally;
}

TEST(MiopenCommandLog, MiopensPinnedLinesExecutionFindAndFusion) {
  const Tally t = read({kLogConv, kLogFindConv, kLogFusionConvBiasActiv, kLogBnormActiv});
  ASSERT_EQ(t.problems().size(), 1u);
  EXPECT_EQ(t.problems()[0], descriptor("mb128ic3ih32oc64kh3ph1"));
  EXPECT_EQ(t.problems()[0].label, "train.log:1");
  EXPECT_EQ(t.problems()[0].runs, 1);  // the execution; the Find call adds no run
  EXPECT_EQ(t.skipped().at("fusion (LogCmdFusion)"), 2);
  EXPECT_TRUE(t.rejections().empty());
  EXPECT_TRUE(t.warnings().empty());
}

TEST(MiopenCommandLog, FindBeforeExecutionKeepsTheFindLineAsLabel) {
  const Tally t = read({kLogFindConv, kLogConv, kLogConv});
  ASSERT_EQ(t.problems().size(), 1u);
  EXPECT_EQ(t.problems()[0].label, "train.log:1");
  EXPECT_EQ(t.problems()[0].runs, 2);
}

TEST(MiopenCommandLog, EveryPrefixMiopenPrints) {
  const std::string_view tail =
      "Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 1 -c 3 -H 8 -W 8 -k 4 -y 3 -x 3 -p 1 -q 1 -u 1 "
      "-v 1 -l 1 -j 1 -m conv -g 1 -F 1 -t 1";
  const std::vector<std::string> prefixes = {
      "MIOpen(HIP): ",                               // 5.2 .. 6.x
      "MIOpen(OpenCL): ",                            // the OpenCL backend
      "MIOpen: ",                                    // TheRock / MIOpen 3.x builds
      "12345 MIOpen(HIP): ",                         // MIOPEN_ENABLE_LOGGING_MPMT=1
      "MIOpen(HIP)   0.125: ",                       // MIOPEN_ENABLE_LOGGING_ELAPSED_TIME=1: setw(8)
      "77 MIOpen(HIP)123456.750: ",                  // both, a wide elapsed time
      "MIOpen   3.500: ",                            // elapsed time without a backend
      "[rank 3] 2024-05-01T10:00:00 MIOpen(HIP): ",  // a collector's prefix
  };
  for (const auto& prefix : prefixes) {
    const std::string line = prefix + std::string(tail);
    EXPECT_TRUE(looks_like_miopen_log(line)) << line;
    const Tally t = read({line + "\r"});
    ASSERT_EQ(t.problems().size(), 1u) << line;
    EXPECT_EQ(t.problems()[0], descriptor("mb1ic3ih8oc4kh3ph1")) << line;
    EXPECT_EQ(t.problems()[0].runs, 1) << line;
  }
}

TEST(MiopenCommandLog, DriverPathsAndNoPath) {
  for (std::string_view driver : {"./bin/MIOpenDriver ", "MIOpenDriver.exe ", "/opt/rocm/bin/MIOpenDriver ",
                                  "C:\\rocm\\bin\\MIOpenDriver.exe ", ""}) {
    const std::string line =
        "MIOpen(HIP): Command [LogCmdConvolution] " + std::string(driver) +
        "conv -n 2 -c 16 -H 10 -W 12 -k 8 -y 1 -x 1 -p 0 -q 0 -u 1 -v 1 -l 1 -j 1 -m conv "
        "-g 1 -F 2 -t 1";
    const Tally t = read({line});
    ASSERT_EQ(t.problems().size(), 1u) << line;
    EXPECT_EQ(t.problems()[0], descriptor("bwdd_mb2ic16ih10iw12oc8kh1")) << line;
  }
}

TEST(MiopenCommandLog, ThreeDimensionalLineAsMiopenPrintsIt) {
  const Tally t = read(
      {"MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 2 -c 4 --in_d 8 -H 9 -W 10 -k 8 "
       "--fil_d 3 -y 3 -x 3 --pad_d 1 -p 1 -q 1 --conv_stride_d 2 -u 1 -v 1 --dilation_d 1 -l 2 -j 1 "
       "--spatial_dim 3 -m conv -g 1 -F 4 -t 1 -S 0"});
  ASSERT_EQ(t.problems().size(), 1u) << (t.rejections().empty() ? "" : t.rejections()[0].why);
  const Problem& p = t.problems()[0];
  EXPECT_EQ(p.spatial_dims, 3);
  EXPECT_EQ(p.dir, Direction::bwd_weights);
  EXPECT_EQ(p, descriptor("bwdw_mb2ic4id8ih9iw10oc8kd3kh3kw3sd2sh1sw1pd1ph1pw1dd0dh1dw0"));
}

TEST(MiopenCommandLog, HalfBfloatAndChannelsLast) {
  const Tally t = read(
      {"MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver convfp16 -n 8 -c 64 -H 56 -W 56 -k 64 -y "
       "1 "
       "-x 1 -p 0 -q 0 -u 1 -v 1 -l 1 -j 1 --in_layout NHWC --fil_layout NHWC --out_layout NHWC -m conv -g 1 "
       "-F 1 -t 1 -S 0",
       "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver convbfp16 -n 4 -c 32 --in_d 4 -H 4 -W 4 "
       "-k 32 "
       "--fil_d 1 -y 1 -x 1 --pad_d 0 -p 0 -q 0 --conv_stride_d 1 -u 1 -v 1 --dilation_d 1 -l 1 -j 1 "
       "--spatial_dim 3 --in_layout NDHWC --fil_layout NDHWC --out_layout NDHWC -m conv -g 1 -F 2 -t 1"});
  ASSERT_EQ(t.problems().size(), 2u);
  EXPECT_EQ(t.problems()[0], descriptor("f16_nhwc_mb8ic64ih56oc64kh1"));
  EXPECT_EQ(t.problems()[1], descriptor("bwdd_bf16_nhwc_mb4ic32id4oc32kd1"));
}

TEST(MiopenCommandLog, GroupsAndDepthwise) {
  const Tally t = read(
      {"MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 32 -c 32 -H 112 -W 112 -k 32 -y "
       "3 "
       "-x 3 -p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 32 -F 1 -t 1",
       "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 1 -c 64 -H 28 -W 28 -k 128 -y 3 "
       "-x 3 -p 2 -q 2 -u 2 -v 2 -l 2 -j 2 -m conv -g 2 -F 1 -t 1"});
  ASSERT_EQ(t.problems().size(), 2u);
  EXPECT_EQ(t.problems()[0], descriptor("g32mb32ic32ih112oc32kh3ph1"));
  EXPECT_EQ(t.problems()[1], descriptor("g2mb1ic64ih28oc128kh3sh2ph2dh1"));
}

TEST(MiopenCommandLog, ConvolutionsConvprobeCannotExpressAreRejectedWithTheirLine) {
  const Tally t = read({
      "MIOpen(HIP): Info [Foo] something",
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 1 -c 16 -H 8 -W 8 -k 16 -y 3 -x 3 "
      "-p 0 -q 0 -u 2 -v 2 -l 1 -j 1 -m trans -g 1 -F 1 -t 1",
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver convint8 -n 1 -c 16 -H 8 -W 8 -k 16 -y 3 "
      "-x 3 -p 0 -q 0 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 1 -t 1 -Z 1",
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 1 -c 16 -H 8 -W 8 -k 16 -y 1 -x 1 "
      "-p 0 -q 0 -u 1 -v 1 -l 1 -j 1 --in_layout NHWC --out_layout NHWC -m conv -g 1 -F 1 -t 1",
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 1 -c 16 -H 8 -W 8 -k 16 -y 1 -x 1 "
      "-p 0 -q 0 -u 1 -v 1 -l 1 -j 1 --in_layout CHWN --fil_layout CHWN --out_layout CHWN -m conv -g 1 -F 1",
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver -n 1 -c 16 -F 1",
  });
  EXPECT_TRUE(t.problems().empty());
  ASSERT_EQ(t.rejections().size(), 5u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"train.log:2", "transposed"},
      {"train.log:3", "convint8"},
      {"train.log:4", "one layout"},
      {"train.log:5", "CHWN"},
      {"train.log:6", "without a command word"},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(t.rejections()[i].where, expected[i].first);
    EXPECT_NE(t.rejections()[i].why.find(expected[i].second), std::string::npos) << t.rejections()[i].why;
  }
}

TEST(MiopenCommandLog, RealisticTrainingLogCountsRunsSkipsAndIgnoresChatter) {
  const std::string conv1 =
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 32 -c 3 -H 224 -W 224 -k 64 -y 7 "
      "-x 7 -p 3 -q 3 -u 2 -v 2 -l 1 -j 1 -m conv -g 1 -F 1 -t 1 -S 0";
  const std::string conv1_wrw =
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 32 -c 3 -H 224 -W 224 -k 64 -y 7 "
      "-x 7 -p 3 -q 3 -u 2 -v 2 -l 1 -j 1 -m conv -g 1 -F 4 -t 1 -S 0";
  const std::string conv2 =
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 32 -c 64 -H 56 -W 56 -k 64 -y 3 "
      "-x 3 "
      "-p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 1 -t 1 -S 0";
  const std::string conv2_bwd =
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 32 -c 64 -H 56 -W 56 -k 64 -y 3 "
      "-x 3 "
      "-p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 2 -t 1 -S 0";
  const std::string bnorm =
      "MIOpen(HIP): Command [LogCmdBNorm] ./bin/MIOpenDriver bnorm -n 32 -c 64 -H 112 -W 112 -m 1 --forw 1 "
      "-b 0 "
      "-s 1 -r 1";
  const std::string bnorm_bwd =
      "MIOpen(HIP): Command [LogCmdBNorm] ./bin/MIOpenDriver bnorm -n 32 -c 64 -H 112 -W 112 -m 1 --forw 0 "
      "-b 1 "
      "-s 1";
  const std::string pool =
      "MIOpen(HIP): Command [Pooling_logging_cmd] ./bin/MIOpenDriver pool -M 0 --input 32,64,112,112 -y 3 -x "
      "3";
  const std::vector<std::string> log = {
      "Epoch 1/10",
      "MIOpen(HIP): Info [GetKernelName] solver ConvDirectNaiveConvFwd",
      conv1,
      bnorm,
      pool,
      conv2,
      conv2,
      "step 1 loss 6.91",
      conv2_bwd,
      conv1_wrw,
      bnorm_bwd,
      conv1,
      bnorm,
      conv2,
      conv2,
      conv2_bwd,
      conv1_wrw,
      std::string(kLogFusionConvBiasActiv),
      "step 2 loss 6.80",
  };
  Tally t;
  MiopenLogReader reader("stderr", &t);
  for (const auto& line : log) reader.feed_line(line);
  reader.finish();
  reader.finish();  // a second call adds nothing
  ASSERT_EQ(t.problems().size(), 4u);
  EXPECT_EQ(t.problems()[0], descriptor("mb32ic3ih224oc64kh7sh2ph3"));
  EXPECT_EQ(t.problems()[0].label, "stderr:3");
  EXPECT_EQ(t.problems()[0].runs, 2);
  EXPECT_EQ(t.problems()[1], descriptor("mb32ic64ih56oc64kh3ph1"));
  EXPECT_EQ(t.problems()[1].label, "stderr:6");
  EXPECT_EQ(t.problems()[1].runs, 4);
  EXPECT_EQ(t.problems()[2], descriptor("bwdd_mb32ic64ih56oc64kh3ph1"));
  EXPECT_EQ(t.problems()[2].runs, 2);
  EXPECT_EQ(t.problems()[3], descriptor("bwdw_mb32ic3ih224oc64kh7sh2ph3"));
  EXPECT_EQ(t.problems()[3].label, "stderr:10");
  EXPECT_EQ(t.problems()[3].runs, 2);
  EXPECT_EQ(t.total_runs(), 10);
  EXPECT_EQ(t.skipped().at("bnorm (LogCmdBNorm)"), 3);
  EXPECT_EQ(t.skipped().at("pool (Pooling_logging_cmd)"), 1);
  EXPECT_EQ(t.skipped().at("fusion (LogCmdFusion)"), 1);
  EXPECT_TRUE(t.rejections().empty());
  EXPECT_TRUE(t.warnings().empty()) << t.warnings()[0];  // the bwd-weights lines carry -S 0: immediate calls
}

TEST(MiopenCommandLog, OldMiopenBackwardWeightsFindIsCountedAndSaidSo) {
  // ROCm 5.2 logs miopenFindConvolutionBackwardWeightsAlgorithm as [LogCmdConvolution], without -S.
  const std::string wrw =
      "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 4 -c 8 -H 8 -W 8 -k 8 -y 3 -x 3 "
      "-p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 4 -t 1";
  const Tally old = read({wrw, wrw, wrw});
  ASSERT_EQ(old.problems().size(), 1u);
  EXPECT_EQ(old.problems()[0].runs, 3);
  ASSERT_EQ(old.warnings().size(), 1u);
  EXPECT_NE(old.warnings()[0].find("before ROCm 5.4"), std::string::npos) << old.warnings()[0];

  std::string find = wrw;
  find.replace(find.find("LogCmdConvolution"), 17, "LogCmdFindConvolution");
  const Tally newer = read({find, wrw, wrw});
  EXPECT_EQ(newer.problems()[0].runs, 2);
  EXPECT_TRUE(newer.warnings().empty());
}

TEST(MiopenCommandLog, NoCommandLinesIsAWarning) {
  const Tally t = read({"hello", "MIOpen(HIP): Warning [x] y"}, "stderr");
  EXPECT_TRUE(t.problems().empty());
  ASSERT_EQ(t.warnings().size(), 1u);
  EXPECT_NE(t.warnings()[0].find("MIOPEN_ENABLE_LOGGING_CMD=1"), std::string::npos);
}

TEST(MiopenCommandLog, ChatterThatMentionsCommandsIsIgnored) {
  const Tally t = read({
      "Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 1 -F 1",    // no MIOpen prefix
      "MyMIOpenX: Command [LogCmdConvolution] conv -n 1 -F 1",            // not MIOpen's prefix
      "MIOpen(HIP): Command [] ./bin/MIOpenDriver conv -n 1 -F 1",        // no function
      "MIOpen(HIP): Command [LogCmdConvolution ./bin/MIOpenDriver conv",  // no ']'
      "running MIOpenDriver conv -n 1 -F 1",                              // a sentence
      "",
  });
  EXPECT_TRUE(t.problems().empty());
  EXPECT_TRUE(t.rejections().empty());
  EXPECT_TRUE(t.skipped().empty());
}

TEST(MiopenCommandLog, CommandFileAddsProblemsWithoutRuns) {
  const Tally t =
      read({"# shapes of the model",
            "./bin/MIOpenDriver conv -n 1 -c 3 -H 42 -W 42 -k 64 -y 3 -x 3 -p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m "
            "conv -g 1 "
            "-F 1 -t 1",
            "", "MIOpenDriver convfp16 -n 8 -c 64 -H 56 -W 56 -k 64 -y 1 -x 1 -F 4 -t 1 -V 0  # wrw",
            "/opt/rocm/bin/MIOpenDriver conv -n 1 -c 3 -H 42 -W 42 -k 64 -y 3 -x 3 -p 1 -q 1 -F 1",
            "MIOpenDriver bnorm -n 32 -c 64 -H 56 -W 56 -m 1 --forw 1", "MIOpenDriver -n 1 -c 3 -F 1",
            "MIOpenDriver.exe conv -n 1 -c 3 -H 8 -W 8 -k 4 -y 9 -x 9 -F 1"},
           "shapes.txt");
  ASSERT_EQ(t.problems().size(), 2u);
  EXPECT_EQ(t.problems()[0], descriptor("mb1ic3ih42oc64kh3ph1"));
  EXPECT_EQ(t.problems()[0].label, "shapes.txt:2");
  EXPECT_EQ(t.problems()[0].runs, 0);
  EXPECT_EQ(t.problems()[1], descriptor("bwdw_f16_mb8ic64ih56oc64kh1"));
  EXPECT_EQ(t.skipped().at("bnorm (MIOpenDriver command)"), 1);
  ASSERT_EQ(t.rejections().size(), 2u);
  EXPECT_EQ(t.rejections()[0].where, "shapes.txt:7");
  EXPECT_EQ(t.rejections()[1].where, "shapes.txt:8");
  EXPECT_NE(t.rejections()[1].why.find("oh=0"), std::string::npos) << t.rejections()[1].why;
}

TEST(MiopenCommandLog, TellsLogsAndCommandFilesApart) {
  EXPECT_TRUE(looks_like_miopen_log(std::string("hello\n") + std::string(kLogConv) + "\n"));
  EXPECT_TRUE(looks_like_miopen_log(kLogFusionConvBiasActiv));
  EXPECT_FALSE(looks_like_miopen_log("./bin/MIOpenDriver conv -n 1 -F 1\n"));
  EXPECT_FALSE(looks_like_miopen_log("mb1ic3ih8oc4kh3\n"));
  EXPECT_FALSE(looks_like_miopen_log(""));

  EXPECT_TRUE(looks_like_miopen_driver_commands("./bin/MIOpenDriver conv -n 1 -F 1\n"));
  EXPECT_TRUE(looks_like_miopen_driver_commands(
      "# from the log\n\nMIOpenDriver convfp16 -n 1 -F 1\nMIOpenDriver bnorm -n 1\nMIOpenDri"));
  EXPECT_FALSE(looks_like_miopen_driver_commands(kLogConv));
  EXPECT_FALSE(looks_like_miopen_driver_commands("MIOpenDriver conv -n 1 -F 1\nmb1ic3ih8oc4kh3\n"));
  EXPECT_FALSE(looks_like_miopen_driver_commands("conv -n 1 -F 1\n"));  // a problems file's driver line
  EXPECT_FALSE(looks_like_miopen_driver_commands("# nothing\n\n"));
  EXPECT_FALSE(looks_like_miopen_driver_commands(""));
}

}  // namespace
}  // namespace convprobe::sources
