// ONNX models as problems. The models are built by tests/sources/make_onnx_models.py (onnx.helper; one
// torch.onnx.export) into a temp folder with the first python3 that imports onnx; each test reads one and
// compares the problems as descriptors (to_string), rejections by place and reason.
#include "sources/onnx_model.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "support/run_command.hpp"

namespace convprobe::sources {
namespace {

namespace fs = std::filesystem;

/// The first of $CONVPROBE_TEST_PYTHON, python3, /usr/bin/python3 that imports `module`; empty when none.
std::string python_with(const std::string& module) {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("CONVPROBE_TEST_PYTHON"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  candidates.emplace_back("python3");
  candidates.emplace_back("/usr/bin/python3");
  for (const auto& python : candidates) {
    if (test::run_shell("'" + python + "' -c 'import " + module + "'").exit_code == 0) return python;
  }
  return {};
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class OnnxModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = test::temp_dir("onnx-models");
    python_ = python_with("onnx");
    if (python_.empty()) return;
    const std::string script = std::string(CONVPROBE_SOURCE_DIR) + "/tests/sources/make_onnx_models.py";
    const auto made = test::run_shell("'" + python_ + "' '" + script + "' '" + dir_.string() + "'");
    if (made.exit_code != 0) make_error_ = "make_onnx_models.py failed:\n" + made.err;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  /// The hand-built models' bytes but huge_dim's (whose inference takes hours), not the torch export (that
  /// test may not have run).
  static std::vector<std::string> hand_built_models() {
    std::vector<std::string> models;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      const std::string stem = entry.path().stem().string();
      if (entry.path().extension() == ".onnx" && stem != "torch_sequential" && stem != "huge_dim") {
        models.push_back(test::read_file(entry.path()));
      }
    }
    return models;
  }

  /// A folder for files that are not models, apart from the models.
  static fs::path scratch() {
    fs::create_directories(dir_ / "scratch");
    return dir_ / "scratch";
  }

  void SetUp() override {
    if (python_.empty()) {
      GTEST_SKIP() << "no python3 imports onnx (tried $CONVPROBE_TEST_PYTHON, python3, /usr/bin/python3; "
                      "Debian: apt install python3-onnx)";
    }
    ASSERT_TRUE(make_error_.empty()) << make_error_;
  }

  static std::string path(const std::string& name) { return (dir_ / (name + ".onnx")).string(); }

  /// Reads model `name`, which must be a model.
  static Tally read(const std::string& name, const OnnxOptions& options = {}) {
    Tally tally;
    std::string err;
    EXPECT_TRUE(read_onnx_model(path(name), options, &tally, &err)) << err;
    return tally;
  }

  /// Reads model `name` and returns its one problem's descriptor, failing on anything else.
  static std::string one(const std::string& name, const OnnxOptions& options = {}) {
    const Tally tally = read(name, options);
    for (const auto& r : tally.rejections()) ADD_FAILURE() << r.where << ": " << r.why;
    EXPECT_EQ(tally.problems().size(), 1u) << name;
    return tally.problems().empty() ? std::string() : to_string(tally.problems()[0]);
  }

  static std::vector<std::string> descriptors(const Tally& tally) {
    std::vector<std::string> out;
    for (const auto& p : tally.problems()) out.push_back(to_string(p));
    return out;
  }

  static inline fs::path dir_;
  static inline std::string python_;
  static inline std::string make_error_;
};

TEST_F(OnnxModel, ConvWithPads) {
  // pads [h_begin, w_begin, h_end, w_end] = [1, 2, 1, 0]: the width pads 2 before and 0 after.
  EXPECT_EQ(one("conv2d_pads"), "ic3ih10iw12oc8ow12kh3ph1pw2n\"conv_pads\"");
  const Problem p = read("conv2d_pads").problems().at(0);
  EXPECT_EQ(p.pad_begin, (std::array<int64_t, 3>{0, 1, 2}));
  EXPECT_EQ(p.pad_end, (std::array<int64_t, 3>{0, 1, 0}));
  EXPECT_EQ(p.runs, 1);
}

TEST_F(OnnxModel, AutoPad) {
  // SAME_UPPER, stride 2 on 8: output 4, one row of padding, at the end.
  EXPECT_EQ(one("same_upper"), "mb1ic4ih8oc4oh4kh3sh2ph0n\"same_upper\"");
  // SAME_LOWER, 2x2 at stride 1: one row of padding, at the beginning.
  EXPECT_EQ(one("same_lower"), "mb1ic4ih8oc4oh8kh2ph1n\"same_lower\"");
  // SAME_LOWER, stride 2 on 8 pads 1 before, 0 after; no output reads the end, so it is symmetric pad 1.
  EXPECT_EQ(one("same_lower_s2"), "mb1ic4ih8oc4kh3sh2ph1n\"same_lower_s2\"");
  EXPECT_EQ(one("valid"), "mb1ic4ih9oc4kh3sh2n\"valid\"");
}

TEST_F(OnnxModel, DilationGroupsDepthwise) {
  // ONNX dilation 2 is benchdnn's dh1.
  EXPECT_EQ(one("dilation_groups"), "g2mb1ic8ih16oc8kh3ph2dh1n\"dil_groups\"");
  EXPECT_EQ(one("depthwise"), "g16mb1ic16ih8oc16kh3ph1n\"depthwise\"");
}

TEST_F(OnnxModel, OneAndThreeSpatialDims) {
  EXPECT_EQ(one("conv1d"), "ic4iw50oc6kw5sw2pw2n\"conv1d\"");
  EXPECT_EQ(read("conv1d").problems().at(0).spatial_dims, 1);
  EXPECT_EQ(one("conv3d"), "mb1ic2id6ih8oc4kd3pd1n\"conv3d\"");
}

TEST_F(OnnxModel, ElementTypes) {
  EXPECT_EQ(one("fp16"), "f16_mb1ic3ih8oc4kh1n\"fp16\"");
  EXPECT_EQ(one("bf16"), "bf16_mb1ic3ih8oc4kh1n\"bf16\"");
  const Tally tally = read("double");
  EXPECT_TRUE(tally.problems().empty());
  ASSERT_EQ(tally.rejections().size(), 1u);
  EXPECT_EQ(tally.rejections()[0].where, path("double") + ": node 'double' (Conv)");
  EXPECT_EQ(tally.rejections()[0].why, "element type DOUBLE: expected FLOAT, FLOAT16 or BFLOAT16");
}

// A ConvTranspose is the bwd-data pass of the forward convolution from its output to its input: X 5x5, W
// [8, 4, 3, 3], stride 2, pads 1, output_padding 1 -> Y 10x10 is the backward of 10x10 -> 5x5 (8 channels).
// That convolution pads 1 before and 0 after (output_padding comes off the end), which no output reads.
TEST_F(OnnxModel, ConvTranspose) {
  EXPECT_EQ(one("transpose_outpad"), "bwdd_mb1ic4ih10oc8kh3sh2ph1n\"up\"");
  const Problem p = read("transpose_outpad").problems().at(0);
  EXPECT_EQ(p.pad_end[1], 0);
  EXPECT_EQ(p.out()[1], 5);
  // SAME_UPPER at stride 1 with a 2x2 kernel: output 4x4, the crop at the end: padding 0 before, 1 after.
  EXPECT_EQ(one("transpose_same_upper"), "bwdd_mb1ic3ih4oc2oh4kh2ph0n\"up_same\"");
  // output_shape 8 of a full 9: one row cropped, at the beginning (NOTSET); groups: ic = 6 * 2.
  EXPECT_EQ(one("transpose_output_shape"), "bwdd_g2mb1ic12ih8oc2kh3sh2ph1n\"up_shape\"");
  EXPECT_EQ(one("transpose_1d"), "bwdd_mb1ic2iw14oc4kw4sw2pw1n\"up1d\"");
}

TEST_F(OnnxModel, SymbolicBatch) {
  const Tally without = read("symbolic_batch");
  EXPECT_TRUE(without.problems().empty());
  ASSERT_EQ(without.rejections().size(), 1u);
  EXPECT_EQ(without.rejections()[0].where, path("symbolic_batch") + ": node 'sym' (Conv)");
  EXPECT_EQ(without.rejections()[0].why, "input dim 0 is symbolic 'N': pass --batch N");

  OnnxOptions batch;
  batch.batch = 4;
  EXPECT_EQ(one("symbolic_batch", batch), "mb4ic3ih8oc4kh3ph1n\"sym\"");
  OnnxOptions named;
  named.dims["N"] = 5;
  EXPECT_EQ(one("symbolic_batch", named), "mb5ic3ih8oc4kh3ph1n\"sym\"");
}

TEST_F(OnnxModel, SymbolicHeight) {
  const Tally without = read("symbolic_height");
  ASSERT_EQ(without.rejections().size(), 1u);
  EXPECT_EQ(without.rejections()[0].why, "input dim 2 is symbolic 'H': pass --dim H=V");
  // The value goes in before shape inference, so the output's height infers to a number and is checked.
  OnnxOptions options;
  options.dims["H"] = 9;
  EXPECT_EQ(one("symbolic_height", options), "mb1ic3ih9iw8oc4kh3sh2n\"sym_h\"");
}

TEST_F(OnnxModel, Int8IsSkipped) {
  const Tally tally = read("int8");
  EXPECT_EQ(descriptors(tally), std::vector<std::string>{"mb1ic3ih8oc4kh1n\"f\""});
  EXPECT_EQ(tally.skipped(), (std::map<std::string, int64_t>{{"int8 convolution (ConvInteger)", 1},
                                                             {"int8 convolution (QLinearConv)", 1}}));
  EXPECT_TRUE(tally.rejections().empty());
}

TEST_F(OnnxModel, DynamicWeights) {
  const Tally tally = read("dynamic_weight");
  EXPECT_EQ(descriptors(tally), (std::vector<std::string>{"mb1ic3ih8oc5kh1n\"from_input\"",
                                                          "mb1ic3ih8oc6kh3ph1n\"from_identity\""}));
  ASSERT_EQ(tally.rejections().size(), 1u);
  EXPECT_EQ(tally.rejections()[0].where, path("dynamic_weight") + ": node 'from_reshape' (Conv)");
  EXPECT_EQ(tally.rejections()[0].why,
            "weight 'w_re' has no shape (not an initializer, and shape inference did not reach it)");
}

// Unnamed layers are labelled by file and index; the same problem twice is one problem of two runs; a layer
// whose channels do not fit and one after a Reshape to an unknown shape are rejections naming the node.
TEST_F(OnnxModel, LabelsRunsAndRejections) {
  const Tally tally = read("chain");
  ASSERT_EQ(tally.problems().size(), 1u);
  EXPECT_EQ(tally.problems()[0].label, path("chain") + ": node #0 (Conv)");
  EXPECT_EQ(tally.problems()[0].runs, 2);
  EXPECT_EQ(tally.total_runs(), 2);
  ASSERT_EQ(tally.rejections().size(), 2u);
  EXPECT_EQ(tally.rejections()[0].where, path("chain") + ": node 'bad_channels' (Conv)");
  EXPECT_EQ(tally.rejections()[0].why, "weight dim 1 is 5 with group 1: expected input channels 3 / group");
  EXPECT_EQ(tally.rejections()[1].where, path("chain") + ": node 'after_reshape' (Conv)");
  EXPECT_EQ(tally.rejections()[1].why, "input 'r' has no shape (shape inference did not reach it)");
}

TEST_F(OnnxModel, Subgraphs) {
  const Tally tally = read("subgraph");
  EXPECT_EQ(descriptors(tally),
            (std::vector<std::string>{
                "mb1ic3ih8oc4kh1n\"" + path("subgraph") + ": node 'if' (If) else_branch: node #0 (Conv)\"",
                "mb1ic3ih8oc4kh3n\"then_conv\""}));  // attributes in name order: else_branch first
}

// torch.onnx.export of Conv2d(3,8,3,s2,p1), Conv2d(8,8,3,p2,d2,g2), ConvTranspose2d(8,4,2,s2) on 2x3x32x32.
TEST_F(OnnxModel, TorchExport) {
  const std::string torch_python = python_with("torch");
  if (torch_python.empty()) GTEST_SKIP() << "no python3 imports torch (Debian: apt install python3-torch)";
  const std::string script = std::string(CONVPROBE_SOURCE_DIR) + "/tests/sources/make_onnx_models.py";
  const auto made =
      test::run_shell("'" + torch_python + "' '" + script + "' '" + dir_.string() + "' --torch");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const Tally tally = read("torch_sequential");
  EXPECT_EQ(descriptors(tally),
            (std::vector<std::string>{"ic3ih32oc8kh3sh2ph1n\"/0/Conv\"", "g2ic8ih16oc8kh3ph2dh1n\"/1/Conv\"",
                                      "bwdd_ic4ih32oc8kh2sh2n\"/2/ConvTranspose\""}));
  EXPECT_TRUE(tally.rejections().empty());
  EXPECT_TRUE(tally.warnings().empty());
}

// ONNX's shape inference runs in a child process: the child that never finishes is killed at the deadline,
// and the node is still judged on the shapes the model declares.
TEST_F(OnnxModel, ShapeInferenceThatHangsOrCrashes) {
  OnnxOptions options;
  options.inference_timeout_ms = 300;
  const Tally hung = read("huge_dim", options);
  EXPECT_EQ(hung.warnings(), std::vector<std::string>{
                                 path("huge_dim") + ": ONNX shape inference did not finish in 300 ms; nodes "
                                                    "without a shape the model declares are rejected"});
  ASSERT_EQ(hung.rejections().size(), 1u);
  EXPECT_EQ(hung.rejections()[0].why, "input dim 2 is 4611686018427387904: expected 1 to 1073741824");

  // Usually a SIGSEGV in the child (the read past the dims is undefined behaviour, so not always).
  const Tally crashed = read("rank_mismatch");
  ASSERT_EQ(crashed.rejections().size(), 1u);
  EXPECT_EQ(crashed.rejections()[0].where, path("rank_mismatch") + ": node 'rank' (Conv)");
  EXPECT_EQ(crashed.rejections()[0].why, "weight 'w' has rank 5: expected the input's rank 3");
  for (const auto& w : crashed.warnings()) EXPECT_NE(w.find("ONNX shape inference"), std::string::npos) << w;
}

TEST_F(OnnxModel, NotAModel) {
  Tally tally;
  std::string err;
  const std::string bytes = test::read_file(path("conv2d_pads"));
  const fs::path truncated = scratch() / "truncated.onnx";
  write_file(truncated, bytes.substr(0, bytes.size() / 2));
  EXPECT_FALSE(read_onnx_model(truncated.string(), {}, &tally, &err));
  EXPECT_EQ(err,
            fmt::format("{}: not an ONNX model: its {} bytes do not parse as onnx.ModelProto (truncated, "
                        "or another format?)",
                        truncated.string(), bytes.size() / 2));

  const fs::path garbage = scratch() / "garbage.onnx";
  write_file(garbage, std::string("this is not an ONNX model\n\xff\xfe\x01\x02", 30));
  EXPECT_FALSE(read_onnx_model(garbage.string(), {}, &tally, &err));
  EXPECT_NE(err.find(garbage.string() + ": not an ONNX model"), std::string::npos) << err;

  const fs::path graphless = scratch() / "graphless.onnx";
  write_file(graphless, "\x08\x07");  // ir_version 7 and nothing else: a ModelProto, but no graph
  EXPECT_FALSE(read_onnx_model(graphless.string(), {}, &tally, &err));
  EXPECT_EQ(err, graphless.string() + ": not an ONNX model: it parses as onnx.ModelProto but holds no graph");

  const fs::path empty = scratch() / "empty.onnx";
  write_file(empty, "");
  EXPECT_FALSE(read_onnx_model(empty.string(), {}, &tally, &err));
  EXPECT_EQ(err, empty.string() + ": empty file: expected an ONNX model (a serialized onnx.ModelProto)");

  EXPECT_FALSE(read_onnx_model((dir_ / "missing.onnx").string(), {}, &tally, &err));
  EXPECT_EQ(err,
            "cannot read ONNX model \"" + (dir_ / "missing.onnx").string() + "\": No such file or directory");
  EXPECT_FALSE(read_onnx_model(dir_.string(), {}, &tally, &err));
  EXPECT_EQ(err, "cannot read ONNX model \"" + dir_.string() + "\": it is a directory");
  EXPECT_TRUE(tally.problems().empty());
}

TEST_F(OnnxModel, LooksLikeOnnx) {
  for (const auto& model : hand_built_models()) EXPECT_TRUE(looks_like_onnx(model.substr(0, 16)));
  EXPECT_TRUE(looks_like_onnx("\x08\x07"));
  EXPECT_TRUE(looks_like_onnx("\x08\x08\x12\x07pytorch"));
  EXPECT_FALSE(looks_like_onnx(""));
  EXPECT_FALSE(looks_like_onnx("\x08"));
  EXPECT_FALSE(looks_like_onnx(std::string_view("\x08\x00\x12", 3)));
  EXPECT_FALSE(looks_like_onnx("\x08\x07\x99"));
  EXPECT_FALSE(looks_like_onnx("mb1ic3ih8oc4kh3\n"));
  EXPECT_FALSE(looks_like_onnx("MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv"));
}

// Six hundred randomly damaged copies of the models (bytes overwritten, cut, inserted, repeated): each read
// returns, with an error or a tally, and never crashes.
TEST_F(OnnxModel, DamagedModelsNeverCrash) {
  const std::vector<std::string> models = hand_built_models();
  ASSERT_FALSE(models.empty());
  std::mt19937 rng(20261208);
  const fs::path damaged = scratch() / "damaged.onnx";
  OnnxOptions options;
  options.inference_timeout_ms =
      5000;  // a damaged dim may be one of 2^62 (see ShapeInferenceThatHangsOrCrashes)
  int parsed = 0;
  for (int round = 0; round < 600; ++round) {
    std::string bytes = models[static_cast<size_t>(round) % models.size()];
    const auto at = [&] { return std::uniform_int_distribution<size_t>(0, bytes.size() - 1)(rng); };
    if (round % 2 == 0) {
      // Overwrite one to three bytes, often with a small value: the file mostly still parses, with other
      // numbers (dims, attributes, types) or other field tags, and the walk sees a broken graph.
      for (int e = 0; e < 1 + round % 3; ++e) bytes[at()] = static_cast<char>(rng() % 2 ? rng() % 32 : rng());
    } else {
      switch (rng() % 3) {
        case 0:
          bytes.resize(at());
          break;
        case 1:
          bytes.insert(at(), 1 + rng() % 8, static_cast<char>(rng()));
          break;
        default: {
          const size_t from = at();
          bytes.insert(at(), bytes.substr(from, 1 + rng() % 32));
        }
      }
    }
    write_file(damaged, bytes);
    Tally tally;
    std::string err;
    if (read_onnx_model(damaged.string(), options, &tally, &err)) {
      ++parsed;
      for (const auto& p : tally.problems()) EXPECT_EQ(validate(p), "") << to_string(p);
      for (const auto& r : tally.rejections()) EXPECT_FALSE(r.why.empty()) << r.where;
    } else {
      EXPECT_NE(err.find(damaged.string()), std::string::npos) << err;
    }
  }
  EXPECT_GT(parsed, 0);  // some damage leaves a model: the walk ran on broken graphs too
}

}  // namespace
}  // namespace convprobe::sources
