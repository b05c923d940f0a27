// benchdnn conv batch files (src/sources/benchdnn_batch*.cpp, benchdnn_settings.cpp): hand-written files in
// memory and in a temporary directory. With CONVPROBE_BENCHDNN_INPUTS=DIR (oneDNN's
// tests/benchdnn/inputs/conv), every harness_* and test_* file there is read as well.
#include "sources/benchdnn_batch.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "convprobe/problem.hpp"
#include "support/run_command.hpp"

namespace convprobe::sources {
namespace {

Problem descriptor(std::string_view text) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(text, &p, &err)) << text << ": " << err;
  return p;
}

/// Files held in memory: --batch=NAME loads files_[NAME], whose origin is NAME.
struct Files {
  std::map<std::string, std::string> files;

  [[nodiscard]] BatchLoader loader() const {
    return [this](const std::string& name, const std::string&, std::string* text, std::string* origin,
                  std::string* err) {
      const auto it = files.find(name);
      if (it == files.end()) {
        *err = "no such file";
        return false;
      }
      *text = it->second;
      *origin = name;
      return true;
    };
  }

  /// Reads files["top"], expecting success.
  Tally read() const {
    Tally t;
    std::string err;
    EXPECT_TRUE(read_benchdnn_batch_text(files.at("top"), "top", loader(), &t, &err)) << err;
    return t;
  }
};

Tally read_text(const std::string& text) { return Files{{{"top", text}}}.read(); }

std::vector<std::string> keys(const Tally& t) {
  std::vector<std::string> out;
  for (const auto& p : t.problems()) out.push_back(key(p));
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BenchdnnBatch, DescriptorsUnderDefaultsAndLabels) {
  const Tally t = read_text(
      "# f32 forward, benchdnn's defaults\n"
      "mb2ic16ih8oc16kh3ph1\n"
      "ic42oc42_ih300oh300kh1sh1dh0ph0_n\"faster_rcnn:1.1\"   mb1ic3ih8oc4kh3nplain_name\n");
  ASSERT_EQ(t.problems().size(), 3u);
  EXPECT_EQ(t.problems()[0], descriptor("mb2ic16ih8oc16kh3ph1"));
  EXPECT_EQ(t.problems()[0].label, "top:2");
  EXPECT_EQ(t.problems()[0].runs, 0);
  EXPECT_EQ(t.problems()[1], descriptor("ic42ih300oc42kh1"));
  EXPECT_EQ(t.problems()[1].label, "faster_rcnn:1.1");
  EXPECT_EQ(t.problems()[2].label, "plain_name");
  EXPECT_EQ(t.total_runs(), 0);
  EXPECT_TRUE(t.rejections().empty());
  EXPECT_TRUE(t.warnings().empty());
}

TEST(BenchdnnBatch, ListsMakeTheCrossProduct) {
  const Tally t = read_text("--dir=FWD_B,BWD_D,BWD_WB --dt=f32,f16\nmb2ic16ih8oc16kh3ph1\n");
  EXPECT_EQ(keys(t), (std::vector<std::string>{"ic16ih8oc16kh3ph1", "f16_ic16ih8oc16kh3ph1",
                                               "bwdd_ic16ih8oc16kh3ph1", "bwdd_f16_ic16ih8oc16kh3ph1",
                                               "bwdw_ic16ih8oc16kh3ph1", "bwdw_f16_ic16ih8oc16kh3ph1"}));
  for (const auto& p : t.problems()) EXPECT_EQ(p.label, "top:2");
  // Values that are the same convolution for convprobe are one (FWD_B and FWD_D differ only in the bias).
  EXPECT_EQ(read_text("--dir=FWD_B,FWD_D,fwd_i --dt=f32,f32:f32:f32 ic4ih4oc4").problems().size(), 1u);
}

TEST(BenchdnnBatch, OptionsStayUntilChangedOrReset) {
  const Tally t = read_text(
      "--dir=BWD_D --dt=bf16 --mb=8\n"
      "ic4ih4oc4\n"
      "--mb=0 ic4ih4oc4\n"
      "--reset ic4ih4oc4\n");
  EXPECT_EQ(keys(t), (std::vector<std::string>{"bwdd_bf16_mb8ic4ih4oc4kh1", "bwdd_bf16_ic4ih4oc4kh1",
                                               "ic4ih4oc4kh1"}));
}

TEST(BenchdnnBatch, BatchNestsAndSharesOneState) {
  Files f;
  f.files["top"] =
      "--reset --dt=f16\n"
      "--dir=BWD_D --batch=shapes_a\n"
      "ic8ih8oc8kh3ph1  # after the include: still BWD_D, and the dt the included file set\n";
  f.files["shapes_a"] = "--dt=bf16\nmb1ic3ih8oc4kh3\n--batch=shapes_b\n";
  f.files["shapes_b"] = "mb1ic3ih16oc4kh3n\"b:1\"\n";
  const Tally t = f.read();
  ASSERT_EQ(t.problems().size(), 3u);
  EXPECT_EQ(key(t.problems()[0]), "bwdd_bf16_mb1ic3ih8oc4kh3");
  EXPECT_EQ(t.problems()[0].label, "shapes_a:2");
  EXPECT_EQ(key(t.problems()[1]), "bwdd_bf16_mb1ic3ih16oc4kh3");
  EXPECT_EQ(t.problems()[1].label, "b:1");
  EXPECT_EQ(key(t.problems()[2]), "bwdd_bf16_ic8ih8oc8kh3ph1");
  EXPECT_EQ(t.problems()[2].label, "top:3");
}

TEST(BenchdnnBatch, CyclesDepthAndMissingFilesAreErrors) {
  Files cycle;
  cycle.files = {{"top", "--batch=a\n"}, {"a", "ic4ih4oc4\n--batch=b\n"}, {"b", "\n\n--batch=a\n"}};
  Tally t;
  std::string err;
  EXPECT_FALSE(read_benchdnn_batch_text(cycle.files["top"], "top", cycle.loader(), &t, &err));
  EXPECT_TRUE(contains(err, "b:3: --batch=a")) << err;
  EXPECT_TRUE(contains(err, "cycle (top -> a -> b -> a)")) << err;
  EXPECT_EQ(t.problems().size(), 1u);  // what was read before stays

  Files self;
  self.files = {{"top", "--batch=top"}};
  err.clear();
  EXPECT_FALSE(read_benchdnn_batch_text(self.files["top"], "top", self.loader(), &t, &err));
  EXPECT_TRUE(contains(err, "cycle")) << err;

  // 16 files below the first are fine, 17 are not.
  auto chain = [](int below) {
    Files f;
    f.files["top"] = "--batch=f1";
    for (int i = 1; i <= below; ++i) {
      std::string text = "ic4ih4oc4";
      if (i < below) text = fmt::format("--batch=f{}", i + 1);
      f.files[fmt::format("f{}", i)] = text;
    }
    return f;
  };
  Files ok = chain(16);
  err.clear();
  EXPECT_TRUE(read_benchdnn_batch_text(ok.files["top"], "top", ok.loader(), &t, &err)) << err;
  Files deep = chain(17);
  EXPECT_FALSE(read_benchdnn_batch_text(deep.files["top"], "top", deep.loader(), &t, &err));
  EXPECT_TRUE(contains(err, "f16:1: --batch=f17: batch files nested deeper than 16")) << err;

  Files missing;
  missing.files = {{"top", "ic4ih4oc4\n  --batch=nowhere"}};
  EXPECT_FALSE(read_benchdnn_batch_text(missing.files["top"], "top", missing.loader(), &t, &err));
  EXPECT_EQ(err, "top:2: --batch=nowhere: no such file");
  for (const char* empty : {"--batch=", "--batch"}) {
    EXPECT_FALSE(read_benchdnn_batch_text(empty, "top", missing.loader(), &t, &err));
    EXPECT_TRUE(contains(err, "top:1: --batch=: no file named")) << err;
  }
}

TEST(BenchdnnBatch, UnmodelledOptionsWarnOncePerOption) {
  const Tally t = read_text(
      "--alg=WINO --attr-post-ops=relu --match=.*kh3.* --skip-impl=ref --mode=P -v2\n"
      "ic4ih4oc4kh3\n"
      "--alg=DIRECT --attr-post-ops=sum ic8ih4oc4kh3\n");
  EXPECT_EQ(t.problems().size(), 2u);
  ASSERT_EQ(t.warnings().size(), 6u);
  EXPECT_EQ(
      t.warnings()[0],
      "top:1: benchdnn option --alg is not modelled: convprobe reads the descriptors as if it were absent");
  EXPECT_TRUE(contains(t.warnings()[1], "--attr-post-ops")) << t.warnings()[1];
  EXPECT_TRUE(contains(t.warnings()[5], "-v2")) << t.warnings()[5];
  EXPECT_TRUE(t.rejections().empty());
}

TEST(BenchdnnBatch, ValuesConvprobeCannotExpressAreRejectedAtTheirLineAndSkipped) {
  const Tally t = read_text(
      "--dt=f32,u8:s8:s32\n"
      "ic4ih4oc4kh3\n"
      "ic8ih4oc4kh3\n"
      "--dt=bf16:bf16:f32 ic4ih4oc4kh3\n"
      "--dt=f16 --dir=FWD_D,BWD_DW,SIDEWAYS ic4ih4oc4kh3\n"
      "--dir=FWD_B --dt=f16:f16 --mb=-1,x ic4ih4oc4kh3\n");
  EXPECT_EQ(keys(t), (std::vector<std::string>{"ic4ih4oc4kh3", "ic8ih4oc4kh3", "f16_ic4ih4oc4kh3"}));
  std::vector<std::string> where, why;
  for (const auto& r : t.rejections()) where.push_back(r.where), why.push_back(r.why);
  EXPECT_EQ(where, (std::vector<std::string>{"top:1", "top:4", "top:5", "top:5", "top:6", "top:6", "top:6"}));
  EXPECT_EQ(why[0], "--dt=u8:s8:s32: \"u8\" is not a type convprobe probes (f32, f16, bf16)");
  EXPECT_TRUE(contains(why[1], "--dt=bf16:bf16:f32: src, weights and dst differ")) << why[1];
  EXPECT_TRUE(contains(why[2], "--dir=BWD_DW: data and weights gradients in one primitive")) << why[2];
  EXPECT_TRUE(contains(why[3], "--dir=SIDEWAYS: not a direction")) << why[3];
  EXPECT_TRUE(contains(why[4], "--dt=f16:f16: expected one data type or three")) << why[4];
  EXPECT_TRUE(contains(why[5], "--mb=-1: expected a batch size >= 0")) << why[5];
  EXPECT_EQ(t.skipped().at("benchdnn data type u8:s8:s32"), 2);  // one per descriptor read under it
  EXPECT_EQ(t.skipped().at("benchdnn data type bf16:bf16:f32"), 1);
  EXPECT_EQ(t.skipped().at("benchdnn direction BWD_DW"), 1);
  EXPECT_EQ(t.skipped().at("benchdnn mb x"), 1);
}

TEST(BenchdnnBatch, TagsGiveTheLayout) {
  EXPECT_EQ(keys(read_text("--stag=axb --dtag=axb ic4ih4oc4")),
            (std::vector<std::string>{"nhwc_ic4ih4oc4kh1"}));
  EXPECT_EQ(keys(read_text("--stag=nhwc --wtag=ohwi ic4ih4oc4")),
            (std::vector<std::string>{"nhwc_ic4ih4oc4kh1"}));
  EXPECT_EQ(keys(read_text("--stag=abx --wtag=any ic4ih4oc4")), (std::vector<std::string>{"ic4ih4oc4kh1"}));
  EXPECT_EQ(keys(read_text("--wtag=gohwi g2ic4ih4oc4")), (std::vector<std::string>{"nhwc_g2ic4ih4oc4kh1"}));

  // harness_conv_tags: every pair of any/abx/axb; the pairs of two layouts are skipped, each rejected once.
  const Tally t = read_text("--stag=any,abx,axb --dtag=any,abx,axb\nic4ih4oc4\nic8ih4oc8\n");
  EXPECT_EQ(keys(t), (std::vector<std::string>{"ic4ih4oc4kh1", "nhwc_ic4ih4oc4kh1", "ic8ih4oc8kh1",
                                               "nhwc_ic8ih4oc8kh1"}));
  ASSERT_EQ(t.rejections().size(), 2u);
  EXPECT_EQ(t.rejections()[0].where, "top:2");
  EXPECT_TRUE(
      contains(t.rejections()[0].why, "--stag=abx --wtag=any --dtag=axb: tensors in different layouts"))
      << t.rejections()[0].why;
  EXPECT_EQ(t.skipped().at("benchdnn mixed layouts --stag=axb --wtag=any --dtag=abx"), 2);

  const Tally blocked = read_text("--stag=aBcd16b --dtag=any,nChw16c ic4ih4oc4\n");
  EXPECT_TRUE(blocked.problems().empty());
  ASSERT_EQ(blocked.rejections().size(), 2u);
  EXPECT_TRUE(contains(blocked.rejections()[0].why, "--stag=aBcd16b: not a plain NCHW or NHWC layout"));
  EXPECT_TRUE(contains(blocked.rejections()[1].why, "--dtag=nChw16c"));
}

TEST(BenchdnnBatch, MinibatchOverride) {
  const Tally t = read_text("--mb=0,4,4 mb16ic4ih4oc4 ic4ih4oc4");
  EXPECT_EQ(keys(t), (std::vector<std::string>{"mb16ic4ih4oc4kh1", "mb4ic4ih4oc4kh1", "ic4ih4oc4kh1"}));
  // A list longer than convprobe reads is one value it cannot express: its descriptors are skipped, not read
  // with the values before it.
  const Tally many = read_text("--mb=3 --mb=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17 ic4ih4oc4");
  EXPECT_TRUE(many.problems().empty());
  ASSERT_EQ(many.rejections().size(), 1u);
  EXPECT_EQ(many.rejections()[0].why, "--mb: 17 values: more values than convprobe reads in one list (16)");
  EXPECT_EQ(many.skipped().at("benchdnn mb (17 values)"), 1);
  const Tally huge = read_text("--mb=100000000 ic1024ih1024oc1024");
  EXPECT_TRUE(huge.problems().empty());
  ASSERT_EQ(huge.rejections().size(), 1u);
  EXPECT_TRUE(contains(huge.rejections()[0].why, "(with --mb=100000000)")) << huge.rejections()[0].why;
}

TEST(BenchdnnBatch, OlderCfgAndFpmath) {
  EXPECT_EQ(keys(read_text("--cfg=f16 ic4ih4oc4 --cfg=bf16bf16bf16 ic4ih4oc4")),
            (std::vector<std::string>{"f16_ic4ih4oc4kh1", "bf16_ic4ih4oc4kh1"}));
  const Tally cfg = read_text("--cfg=u8s8s32 ic4ih4oc4");
  ASSERT_EQ(cfg.rejections().size(), 1u);
  EXPECT_TRUE(contains(cfg.rejections()[0].why, "--cfg=u8s8s32")) << cfg.rejections()[0].why;

  // tf32 math changes f32 problems only.
  EXPECT_EQ(keys(read_text("--dt=f32,f16 --attr-fpmath=strict,tf32:true ic4ih4oc4")),
            (std::vector<std::string>{"ic4ih4oc4kh1", "tf32_ic4ih4oc4kh1", "f16_ic4ih4oc4kh1"}));
  const Tally lower = read_text("--attr-fpmath=bf16 ic4ih4oc4");
  EXPECT_TRUE(lower.problems().empty());
  ASSERT_EQ(lower.rejections().size(), 1u);
  EXPECT_TRUE(contains(lower.rejections()[0].why, "strict and tf32 only"));
}

TEST(BenchdnnBatch, ContinuedLinesAndComments) {
  // As benchdnn's batch(): a word ending in '\' (or a lone '\') joins the words before and after it.
  const Tally t = read_text(
      "--dt=f32, \\\n"
      "     f16 # a comment ends the line: --dt=bf16 is not read\n"
      "#ic99ih9oc9\n"
      "ic4ih4oc4 #ic5ih5oc5\n"
      "ic6\\\n"
      "ih6oc6\n");
  EXPECT_EQ(keys(t), (std::vector<std::string>{"ic4ih4oc4kh1", "f16_ic4ih4oc4kh1", "ic6ih6oc6kh1",
                                               "f16_ic6ih6oc6kh1"}));
  ASSERT_EQ(t.problems().size(), 4u);
  EXPECT_EQ(t.problems()[2].label, "top:5");
  // A lone '\' joins the last word of one line with the first of the next, as in benchdnn.
  const Tally joined = read_text("ic4ih4oc4\n\\\nic6ih6oc6\n");
  EXPECT_TRUE(joined.problems().empty());
  ASSERT_EQ(joined.rejections().size(), 1u);
  EXPECT_TRUE(contains(joined.rejections()[0].why, "given twice")) << joined.rejections()[0].why;
}

TEST(BenchdnnBatch, DescriptorsConvprobeCannotRead) {
  const Tally t = read_text(
      "ic4ih4\n"                       // no oc
      "bwdd_ic4ih4oc4\n"               // convprobe's prefix
      "n\"just_a_name\"\n"             // no keys
      "ic4xy3ih4oc4\n"                 // an unknown key
      "--dir ic4ih4oc4\n");            // an option without its value
  EXPECT_EQ(t.problems().size(), 1u);  // the last line's descriptor
  std::vector<std::string> where;
  for (const auto& r : t.rejections()) where.push_back(r.where);
  EXPECT_EQ(where, (std::vector<std::string>{"top:1", "top:2", "top:3", "top:4", "top:5"}));
  EXPECT_TRUE(contains(t.rejections()[0].why, "missing oc")) << t.rejections()[0].why;
  EXPECT_TRUE(contains(t.rejections()[1].why, "prefix")) << t.rejections()[1].why;
  EXPECT_TRUE(contains(t.rejections()[2].why, "a name without a descriptor")) << t.rejections()[2].why;
  EXPECT_TRUE(contains(t.rejections()[4].why, "--dir: expected a value")) << t.rejections()[4].why;
}

TEST(BenchdnnBatch, TellsBatchFilesApart) {
  EXPECT_TRUE(looks_like_benchdnn_batch("# f32\n--reset --dt=f32\n--dir=FWD_B --batch=set_conv_all\n"));
  EXPECT_TRUE(looks_like_benchdnn_batch("mb1ic3ih8oc4kh3\n--mb=2 ic4ih4oc4\n"));
  EXPECT_TRUE(looks_like_benchdnn_batch("--attr-post-ops=relu ic4ih4oc4"));
  EXPECT_FALSE(looks_like_benchdnn_batch("mb1ic3ih8oc4kh3\nic4ih4oc4  # a problems file\n"));
  EXPECT_FALSE(looks_like_benchdnn_batch("conv --mode conv --in_layout NHWC -F 1\n"));
  EXPECT_FALSE(
      looks_like_benchdnn_batch("MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv\n"));
  EXPECT_FALSE(looks_like_benchdnn_batch("# --dir=FWD_B in a comment\n"));
  EXPECT_FALSE(looks_like_benchdnn_batch(""));
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

TEST(BenchdnnBatch, FilesNextToTheIncludingFileThenNextToTheFirst) {
  const auto dir = test::temp_dir("benchdnn-batch");
  write(dir / "harness", "--dir=BWD_D --batch=sets/set_a\n");
  write(dir / "sets/set_a", "--batch=shapes_local\n--batch=shapes_top\n");
  write(dir / "sets/shapes_local", "ic4ih4oc4\n");
  write(dir / "shapes_top", "\nic8ih8oc8\n");
  Tally t;
  std::string err;
  ASSERT_TRUE(read_benchdnn_batch((dir / "harness").string(), &t, &err)) << err;
  ASSERT_EQ(t.problems().size(), 2u);
  EXPECT_EQ(t.problems()[0].label, (dir / "sets/shapes_local").string() + ":1");
  EXPECT_EQ(t.problems()[1].label, (dir / "shapes_top").string() + ":2");

  write(dir / "loop", "--batch=./sub/../loop\n");
  EXPECT_FALSE(read_benchdnn_batch((dir / "loop").string(), &t, &err));
  EXPECT_TRUE(contains(err, "cycle")) << err;

  write(dir / "broken", "ic4ih4oc4\n--batch=absent\n");
  EXPECT_FALSE(read_benchdnn_batch((dir / "broken").string(), &t, &err));
  EXPECT_TRUE(contains(err, "broken:2: --batch=absent: cannot read it (")) << err;
  EXPECT_TRUE(contains(err, "No such file or directory")) << err;

  EXPECT_FALSE(read_benchdnn_batch((dir / "none").string(), &t, &err));
  EXPECT_TRUE(contains(err, "cannot read benchdnn batch file")) << err;
  std::filesystem::remove_all(dir);
}

// oneDNN's own conv input files: every harness and test file reads without error. Set
// CONVPROBE_BENCHDNN_INPUTS to a copy of tests/benchdnn/inputs/conv.
TEST(BenchdnnBatch, OnednnInputFilesWhenGiven) {
  const char* dir = std::getenv("CONVPROBE_BENCHDNN_INPUTS");
  if (dir == nullptr) GTEST_SKIP() << "CONVPROBE_BENCHDNN_INPUTS is not set";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("harness_") && !name.starts_with("test_")) continue;
    Tally t;
    std::string err;
    EXPECT_TRUE(read_benchdnn_batch(entry.path().string(), &t, &err)) << err;
    ++files;
    std::cout << name << ": " << t.problems().size() << " problems, " << t.rejections().size()
              << " rejections, " << t.warnings().size() << " warnings\n";
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace convprobe::sources
