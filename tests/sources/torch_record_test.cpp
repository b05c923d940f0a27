// The PyTorch recorder's JSON as problems: forward, transposed, backward by output_mask, 1-D to 3-D, layout,
// types, counts, labels, rejections and document errors. The records are written as the recorder writes
// them (python/convprobe_torch/recorder.py); the shapes of the 3-layer model are those torch printed in
// /work/shared/research/sources-steering-fleets.md §1c.
#include "sources/torch_record.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace convprobe::sources {
namespace {

using nlohmann::json;

/// A forward record of a 2-D f32 NCHW convolution; tests change what they need.
json conv(std::vector<int64_t> input, std::vector<int64_t> weight, std::vector<int64_t> output,
          std::vector<int64_t> stride, std::vector<int64_t> padding, std::string module = "") {
  const size_t dims = input.size() - 2;
  return {{"op", "convolution"},   {"module", module},
          {"input", input},        {"weight", weight},
          {"output", output},      {"stride", stride},
          {"padding", padding},    {"dilation", std::vector<int64_t>(dims, 1)},
          {"transposed", false},   {"output_padding", std::vector<int64_t>(dims, 0)},
          {"groups", 1},           {"dtype", "float32"},
          {"channels_last", false}};
}

json backward(json forward, std::vector<bool> mask) {
  forward["op"] = "convolution_backward";
  forward["output_mask"] = mask;
  return forward;
}

std::string document(const std::vector<json>& records) {
  return json{{"format", "convprobe-torch-record"}, {"version", 1},  {"torch", "1.13.0"}, {"model", "test"},
              {"input", {{2, 3, 20, 20}}},          {"train", true}, {"records", records}}
      .dump();
}

Tally read(const std::vector<json>& records) {
  Tally tally;
  std::string err;
  EXPECT_TRUE(read_torch_record(document(records), "m.json", &tally, &err)) << err;
  return tally;
}

/// The one problem `record` gives, as its canonical text.
std::string one(const json& record) {
  const Tally t = read({record});
  EXPECT_TRUE(t.rejections().empty()) << t.rejections().front().why;
  EXPECT_EQ(t.problems().size(), 1u);
  return t.problems().empty() ? "" : to_string(t.problems()[0]);
}

// The 3-layer model of the research note: Conv2d(3,8,3,s2,p1); Conv2d(8,8,3,p2,d2,g2);
// ConvTranspose2d(8,4,2,s2).
json layer1() { return conv({2, 3, 20, 20}, {8, 3, 3, 3}, {2, 8, 10, 10}, {2, 2}, {1, 1}, "conv1"); }
json layer2() {
  json r = conv({2, 8, 10, 10}, {8, 4, 3, 3}, {2, 8, 10, 10}, {1, 1}, {2, 2}, "conv2");
  r["dilation"] = {2, 2};
  r["groups"] = 2;
  return r;
}
json layer3() {
  json r = conv({2, 8, 10, 10}, {8, 4, 2, 2}, {2, 4, 20, 20}, {2, 2}, {0, 0}, "up");
  r["transposed"] = true;
  return r;
}

TEST(TorchRecord, Forward) {
  EXPECT_EQ(one(layer1()), "ic3ih20oc8kh3sh2ph1n\"conv1\"");
  // PyTorch's dilation 2 is benchdnn's d1.
  EXPECT_EQ(one(layer2()), "g2ic8ih10oc8kh3ph2dh1n\"conv2\"");
}

TEST(TorchRecord, TransposedForwardIsTheBackwardDataOfItsConvolution) {
  // y[2,4,20,20] = ConvTranspose(x[2,8,10,10]): the bwd_data of a convolution from 4 channels at 20x20 to 8
  // at 10x10 (k2 s2), whose weight [8,4,2,2] is the same tensor.
  const Tally t = read({layer3()});
  ASSERT_EQ(t.problems().size(), 1u);
  const Problem& p = t.problems()[0];
  EXPECT_EQ(p.dir, Direction::bwd_data);
  EXPECT_EQ(to_string(p), "bwdd_ic4ih20oc8kh2sh2n\"up\"");
  EXPECT_EQ(p.out()[1], 10);
}

TEST(TorchRecord, TransposedWithOutputPadding) {
  // ConvTranspose2d(8,4,3,stride=2,padding=1,output_padding=1): 10 -> 20. The forward convolution 20 -> 10
  // leaves its last row unread, so its padding stays symmetric.
  json r = conv({1, 8, 10, 10}, {8, 4, 3, 3}, {1, 4, 20, 20}, {2, 2}, {1, 1});
  r["transposed"] = true;
  r["output_padding"] = {1, 1};
  EXPECT_EQ(one(r), "bwdd_mb1ic4ih20oc8kh3sh2ph1n\"m.json: record #1\"");
  // output_padding >= stride (allowed when dilation > stride): 1-D, in 5, k3, d2, s1, output_padding 1 ->
  // 10. The forward convolution 10 -> 5 needs end padding -1 (one row cropped).
  json d = conv({1, 8, 5}, {8, 4, 3}, {1, 4, 10}, {1}, {0});
  d["transposed"] = true;
  d["dilation"] = {2};
  d["output_padding"] = {1};
  const Tally t = read({d});
  ASSERT_EQ(t.problems().size(), 1u) << (t.rejections().empty() ? "" : t.rejections()[0].why);
  const Problem& p = t.problems()[0];
  EXPECT_EQ(p.in[2], 10);
  EXPECT_EQ(p.out()[2], 5);
  EXPECT_EQ(p.pad_end[2], -1);
}

TEST(TorchRecord, BackwardFollowsTheOutputMask) {
  // The first layer's input needs no gradient: weights only. A bias-only backward is no convolution.
  const Tally t = read({backward(layer1(), {false, true, true}), backward(layer2(), {true, true, true}),
                        backward(layer2(), {true, false, false}), backward(layer1(), {false, false, true})});
  ASSERT_EQ(t.problems().size(), 3u);
  EXPECT_EQ(to_string(t.problems()[0]), "bwdw_ic3ih20oc8kh3sh2ph1n\"conv1\"");
  EXPECT_EQ(to_string(t.problems()[1]), "bwdd_g2ic8ih10oc8kh3ph2dh1n\"conv2\"");
  EXPECT_EQ(to_string(t.problems()[2]), "bwdw_g2ic8ih10oc8kh3ph2dh1n\"conv2\"");
  EXPECT_EQ(t.problems()[1].runs, 2);  // both conv2 backwards computed the input's gradient
  EXPECT_EQ(t.problems()[2].runs, 1);
  EXPECT_EQ(t.skipped().at("convolution_backward of the bias only"), 1);
}

TEST(TorchRecord, TransposedBackwardSwapsForwardAndBackwardData) {
  // d(input) of a transposed convolution is the forward of its convolution; d(weight) is that convolution's
  // bwd_weights (x = the transposed call's grad_output, dy = its input).
  const Tally t = read({backward(layer3(), {true, true, true})});
  ASSERT_EQ(t.problems().size(), 2u);
  EXPECT_EQ(to_string(t.problems()[0]), "ic4ih20oc8kh2sh2n\"up\"");
  EXPECT_EQ(to_string(t.problems()[1]), "bwdw_ic4ih20oc8kh2sh2n\"up\"");
  const Tally w = read({backward(layer3(), {false, true, false})});
  ASSERT_EQ(w.problems().size(), 1u);
  EXPECT_EQ(w.problems()[0].dir, Direction::bwd_weights);
}

TEST(TorchRecord, TheWholeModelTrained) {
  const Tally t = read({layer1(), layer2(), layer3(), backward(layer3(), {true, true, true}),
                        backward(layer2(), {true, true, true}), backward(layer1(), {false, true, true})});
  EXPECT_TRUE(t.rejections().empty());
  ASSERT_EQ(t.problems().size(), 8u);  // 3 forward + 2 + 2 + 1
  EXPECT_EQ(t.total_runs(), 8);
}

TEST(TorchRecord, ThreeDAndOneD) {
  // r3d_18's stem: Conv3d(3, 64, (3,7,7), stride (1,2,2), padding (1,3,3)).
  json r3d =
      conv({1, 3, 16, 112, 112}, {64, 3, 3, 7, 7}, {1, 64, 16, 56, 56}, {1, 2, 2}, {1, 3, 3}, "stem.0");
  const Tally t = read({r3d});
  ASSERT_EQ(t.problems().size(), 1u);
  const Problem& p = t.problems()[0];
  EXPECT_EQ(p.spatial_dims, 3);
  EXPECT_EQ(p.in, (std::array<int64_t, 3>{16, 112, 112}));
  EXPECT_EQ(p.kernel, (std::array<int64_t, 3>{3, 7, 7}));
  EXPECT_EQ(p.stride, (std::array<int64_t, 3>{1, 2, 2}));
  EXPECT_EQ(p.pad_begin, (std::array<int64_t, 3>{1, 3, 3}));
  EXPECT_EQ(p.out(), (std::array<int64_t, 3>{16, 56, 56}));
  // Conv1d(16, 32, 5, padding=2) on 100 samples.
  const std::string one_d = one(conv({4, 16, 100}, {32, 16, 5}, {4, 32, 100}, {1}, {2}, "tcn.0"));
  EXPECT_EQ(one_d, "mb4ic16iw100oc32kw5pw2n\"tcn.0\"");
  Problem back;
  std::string err;
  ASSERT_TRUE(parse_problem(one_d, &back, &err)) << err;
  EXPECT_EQ(back.spatial_dims, 1);
}

TEST(TorchRecord, LayoutAndTypes) {
  json r = layer1();
  r["channels_last"] = true;
  r["dtype"] = "bfloat16";
  EXPECT_EQ(one(r), "bf16_nhwc_ic3ih20oc8kh3sh2ph1n\"conv1\"");
  r["dtype"] = "float16";
  r["channels_last"] = false;
  EXPECT_EQ(one(r), "f16_ic3ih20oc8kh3sh2ph1n\"conv1\"");
}

TEST(TorchRecord, Float32IsF32WithANoteOnTf32) {
  const Tally t = read({layer1()});
  EXPECT_EQ(t.problems()[0].type, DataType::f32);
  ASSERT_EQ(t.warnings().size(), 1u);
  EXPECT_NE(t.warnings()[0].find("tf32"), std::string::npos) << t.warnings()[0];
  json r = layer1();
  r["dtype"] = "float16";
  EXPECT_TRUE(read({r}).warnings().empty());
}

TEST(TorchRecord, RunsAndLabels) {
  // The same shape three times is one problem run three times, labelled by the first module that ran it.
  json a = layer2(), b = layer2(), c = layer2();
  b["module"] = "conv2b";
  c["module"] = "";
  const Tally t = read({a, b, c});
  ASSERT_EQ(t.problems().size(), 1u);
  EXPECT_EQ(t.problems()[0].runs, 3);
  EXPECT_EQ(t.problems()[0].label, "conv2");
  // No module name (an F.conv2d outside any module): the record's place.
  const Tally u = read({layer1(), c});
  EXPECT_EQ(u.problems()[1].label, "m.json: record #2");
}

TEST(TorchRecord, RecordsConvprobeCannotExpressAreRejectedWithTheirPlace) {
  json f64 = layer1();
  f64["dtype"] = "float64";
  json channels = layer1();
  channels["weight"] = {8, 4, 3, 3};
  json rank = layer1();
  rank["weight"] = {8, 3, 3};
  json too_small = conv({1, 3, 2, 2}, {8, 3, 5, 5}, {1, 8, 0, 0}, {1, 1}, {0, 0}, "");
  json wrong_output = layer1();
  wrong_output["output"] = {2, 8, 11, 11};
  json op = layer1();
  op["op"] = "max_pool2d";
  json no_mask = backward(layer1(), {});
  no_mask.erase("output_mask");
  json two_d = conv({2, 3, 20, 20, 20, 20}, {8, 3, 3, 3, 3, 3}, {}, {1}, {0}, "six");
  json dilation0 = layer1();
  dilation0["dilation"] = {0, 0};
  json strides = layer1();
  strides["stride"] = {1, 2, 3};
  const Tally t =
      read({f64, channels, rank, too_small, wrong_output, op, no_mask, two_d, dilation0, strides, layer2()});
  ASSERT_EQ(t.problems().size(), 1u);  // only the good one
  ASSERT_EQ(t.rejections().size(), 10u);
  const auto& r = t.rejections();
  EXPECT_EQ(r[0].where, "m.json: record #1 (conv1)");
  EXPECT_NE(r[0].why.find("dtype \"float64\""), std::string::npos) << r[0].why;
  EXPECT_NE(r[1].why.find("input [2, 3, 20, 20] has 3 channels; weight [8, 4, 3, 3] with groups=1 expects 4"),
            std::string::npos)
      << r[1].why;
  EXPECT_NE(r[2].why.find("weight [8, 3, 3] has rank 3"), std::string::npos) << r[2].why;
  EXPECT_EQ(r[3].where, "m.json: record #4");
  EXPECT_NE(r[3].why.find("not valid"), std::string::npos) << r[3].why;
  EXPECT_NE(r[4].why.find("output [2, 8, 11, 11] differs from [2, 8, 10, 10]"), std::string::npos)
      << r[4].why;
  EXPECT_NE(r[5].why.find("op \"max_pool2d\""), std::string::npos) << r[5].why;
  EXPECT_NE(r[6].why.find("\"output_mask\" is missing"), std::string::npos) << r[6].why;
  EXPECT_NE(r[7].why.find("rank 6: expected 3, 4 or 5"), std::string::npos) << r[7].why;
  EXPECT_NE(r[8].why.find("dilation [0, 0]"), std::string::npos) << r[8].why;
  EXPECT_NE(r[9].why.find("\"stride\" [1, 2, 3] has 3 values: expected 2"), std::string::npos) << r[9].why;
}

TEST(TorchRecord, DocumentErrorsNameTheFile) {
  Tally t;
  std::string err;
  EXPECT_FALSE(read_torch_record("not json", "a.json", &t, &err));
  EXPECT_EQ(err.rfind("a.json: not JSON", 0), 0u) << err;
  EXPECT_FALSE(read_torch_record(R"({"format": "onnx"})", "b.json", &t, &err));
  EXPECT_NE(err.find("b.json: not a PyTorch record"), std::string::npos) << err;
  EXPECT_NE(err.find("found \"onnx\""), std::string::npos) << err;
  EXPECT_FALSE(read_torch_record("[1, 2]", "c.json", &t, &err));
  EXPECT_NE(err.find("c.json: not a PyTorch record"), std::string::npos) << err;
  EXPECT_FALSE(read_torch_record(R"({"format": "convprobe-torch-record", "version": 2, "records": []})",
                                 "d.json", &t, &err));
  EXPECT_NE(err.find("d.json: convprobe-torch-record version 2: this convprobe reads version 1"),
            std::string::npos)
      << err;
  EXPECT_FALSE(
      read_torch_record(R"({"format": "convprobe-torch-record", "version": 1})", "e.json", &t, &err));
  EXPECT_NE(err.find("e.json: \"records\" is missing"), std::string::npos) << err;
  EXPECT_TRUE(t.problems().empty());
  EXPECT_TRUE(t.rejections().empty());
  // An empty model is not an error.
  EXPECT_TRUE(read_torch_record(document({}), "f.json", &t, &err)) << err;
}

TEST(TorchRecord, LooksLikeTorchRecord) {
  EXPECT_TRUE(looks_like_torch_record(document({layer1()}).substr(0, 64)));
  EXPECT_TRUE(looks_like_torch_record("\n  {\"format\" :  \"convprobe-torch-record\", \"vers"));
  EXPECT_TRUE(looks_like_torch_record(R"({"version": 1, "format": "convprobe-torch-record"})"));
  EXPECT_FALSE(looks_like_torch_record(R"({"format": "cudnn"})"));
  EXPECT_FALSE(looks_like_torch_record(R"({"model": "\"format\" convprobe-torch-record"})"));
  EXPECT_FALSE(looks_like_torch_record("[{\"format\": \"convprobe-torch-record\"}]"));
  EXPECT_FALSE(looks_like_torch_record("ic3ih20oc8kh3"));
  EXPECT_FALSE(looks_like_torch_record(""));
}

}  // namespace
}  // namespace convprobe::sources
