// cuDNN API logs -> problems: the two real logs of one PyTorch program (tests/sources/data/, checked in as
// cuDNN wrote them, gzipped, and decompressed here with `gzip -dc` through popen), and hand-written records
// for what those logs do not show.
#include "sources/cudnn_log.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe::sources {
namespace {

std::string gunzip(const std::string& path) {
  const std::string command = "gzip -dc '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::string out;
  char buf[65536];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string real_log(const std::string& api) {
  return gunzip(std::string(CONVPROBE_SOURCE_DIR) + "/tests/sources/data/cudnn-9.19.0-" + api +
                "-api-log.txt.gz");
}

/// The tally of `text` read a line at a time, as `convprobe capture` would.
Tally read_log(std::string_view text, const std::string& origin = "t.log") {
  Tally tally;
  CudnnLogReader reader(origin, &tally);
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    reader.feed_line(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  reader.finish();
  return tally;
}

Problem problem(const std::string& descriptor) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(descriptor, &p, &err)) << descriptor << ": " << err;
  return p;
}

struct Expected {
  std::string descriptor;
  int64_t line;  ///< of the problem's first record
  int64_t runs;
};

void expect_problems(const Tally& tally, const std::string& origin, const std::vector<Expected>& want) {
  ASSERT_EQ(tally.problems().size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Problem& got = tally.problems()[i];
    EXPECT_EQ(key(got), key(problem(want[i].descriptor))) << "problem " << i;
    EXPECT_EQ(got.label, origin + ":" + std::to_string(want[i].line)) << "problem " << i;
    EXPECT_EQ(got.runs, want[i].runs) << "problem " << i << " " << to_string(got);
  }
}

std::string rejections(const Tally& tally) {
  std::string out;
  for (const auto& r : tally.rejections()) out += r.where + ": " + r.why + "\n";
  return out;
}

// The program (PyTorch 2.11, H200): Conv2d(3, 8, 3, stride 2, padding 1) on 2x3x20x20; Conv2d(8, 8, 3,
// padding 2, dilation 2, groups 2); ConvTranspose2d(8, 4, 2, stride 2); forward and backward with the input
// requiring grad; then one fp16 channels-last F.conv2d, 1x16x12x12 with 32 3x3 filters, padding 1. In
// cuDNN's terms the transposed convolution's forward is a bwd-data problem and its input gradient a forward
// one. The order is the program's: three forwards, then the backward from the last layer to the first.
std::vector<Expected> program_problems(const std::vector<int64_t>& lines) {
  const std::vector<std::string> descriptors = {
      "mb2ic3ih20oc8oh10kh3sh2ph1",          // conv1
      "g2mb2ic8ih10oc8oh10kh3ph2dh1",        // conv2: cuDNN's dilation 2 is benchdnn's d1
      "bwdd_mb2ic4ih20oc8oh10kh2sh2",        // the transposed convolution's forward
      "mb2ic4ih20oc8oh10kh2sh2",             // ... its input gradient
      "bwdw_mb2ic4ih20oc8oh10kh2sh2",        // ... its weight gradient
      "bwdd_g2mb2ic8ih10oc8oh10kh3ph2dh1",   // conv2's input gradient
      "bwdw_g2mb2ic8ih10oc8oh10kh3ph2dh1",   // conv2's weight gradient
      "bwdd_mb2ic3ih20oc8oh10kh3sh2ph1",     // conv1's input gradient (the input requires grad)
      "bwdw_mb2ic3ih20oc8oh10kh3sh2ph1",     // conv1's weight gradient
      "f16_nhwc_mb1ic16ih12oc32oh12kh3ph1",  // the fp16 channels-last convolution
  };
  std::vector<Expected> out;
  for (size_t i = 0; i < descriptors.size(); ++i) out.push_back({descriptors[i], lines[i], 1});
  return out;
}

TEST(CudnnLog, RealLegacyLog) {
  const std::string text = real_log("legacy");
  ASSERT_FALSE(text.empty());
  const Tally tally = read_log(text, "legacy.log");
  // Each problem's first record is its cudnnGet*Algorithm_v7 search; each ran once (cudnnConvolution*).
  expect_problems(tally, "legacy.log",
                  program_problems({117, 454, 788, 1200, 1523, 1818, 2151, 2447, 2767, 3069}));
  EXPECT_EQ(tally.total_runs(), 10);
  EXPECT_TRUE(tally.rejections().empty()) << rejections(tally);
  EXPECT_TRUE(tally.skipped().empty());
  EXPECT_TRUE(tally.warnings().empty());
}

TEST(CudnnLog, RealBackendLog) {
  const std::string text = real_log("backend");
  ASSERT_FALSE(text.empty());
  const Tally tally = read_log(text, "backend.log");
  // Each problem's first record is the finalize of its convolution operation; each plan ran once
  // (cudnnBackendExecute), and neither cudnnBackendExecuteInternal nor the records that repeat the operation
  // (graph, engine, plan) count again.
  expect_problems(tally, "backend.log",
                  program_problems({1055, 14268, 22214, 32150, 46336, 54831, 60816, 67530, 77802, 86297}));
  EXPECT_EQ(tally.total_runs(), 10);
  EXPECT_TRUE(tally.rejections().empty()) << rejections(tally);
  EXPECT_TRUE(tally.skipped().empty());
  EXPECT_TRUE(tally.warnings().empty());
}

TEST(CudnnLog, LegacyAndGraphLogsOfOneProgramGiveTheSameProblems) {
  const Tally legacy = read_log(real_log("legacy"));
  const Tally graph = read_log(real_log("backend"));
  ASSERT_EQ(legacy.problems().size(), graph.problems().size());
  for (size_t i = 0; i < legacy.problems().size(); ++i) {
    EXPECT_EQ(legacy.problems()[i], graph.problems()[i]) << to_string(legacy.problems()[i]);
    EXPECT_EQ(legacy.problems()[i].runs, graph.problems()[i].runs);
  }
}

TEST(CudnnLog, RecognizesTheLogFromItsHead) {
  EXPECT_TRUE(looks_like_cudnn_log(real_log("legacy").substr(0, 4096)));
  EXPECT_TRUE(looks_like_cudnn_log(real_log("backend").substr(0, 4096)));
  EXPECT_TRUE(looks_like_cudnn_log("\r\nW! CuDNN (v8004 7) function cudnnCreate() called:\r\n"));
  EXPECT_FALSE(looks_like_cudnn_log(""));
  EXPECT_FALSE(looks_like_cudnn_log("mb2ic3ih20oc8oh10kh3sh2ph1\n"));
  EXPECT_FALSE(
      looks_like_cudnn_log("MIOpen(HIP): Info [GetForwardSolutions] ...\nI! CuDNN (v91900 56) func"));
  EXPECT_FALSE(looks_like_cudnn_log("I! CuDNN (v91900 56) function cudnn Create() called:\n"));
}

// ---- Hand-written records, in the spelling of the real ones ----

struct Tensor {
  std::string name, type = "CUDNN_DATA_FLOAT (0)", dims, strides;
};

std::string graph_tensor(const std::string& indent, const Tensor& t) {
  return "i! " + indent + t.name + ": type=CUDNN_BACKEND_TENSOR_DESCRIPTOR:\n" +  //
         "i! " + indent + "    type: type=cudnnDataType_t; val=" + t.type + ";\n" + "i! " + indent +
         "    nbDims: type=int; val=" + std::to_string(std::count(t.dims.begin(), t.dims.end(), ',') + 1) +
         ";\n" + "i! " + indent + "    dimA: type=int; val=" + t.dims + ";\n" +  //
         "i! " + indent + "    strideA: type=int; val=" + t.strides + ";\n" + "i! " + indent +
         "    uid: type=int64_t; val=120;\n";
}

struct GraphOp {
  std::string direction = "FORWARD";
  Tensor x{"xDesc", "CUDNN_DATA_FLOAT (0)", "[2,3,20,20]", "[1200,400,20,1]"};
  Tensor w{"wDesc", "CUDNN_DATA_FLOAT (0)", "[8,3,3,3]", "[27,9,3,1]"};
  Tensor y{"yDesc", "CUDNN_DATA_FLOAT (0)", "[2,8,10,10]", "[800,100,10,1]"};
  std::string mode = "CUDNN_CROSS_CORRELATION (1)", compute = "CUDNN_DATA_FLOAT (0)";
  std::string lower = "[1,1]", upper = "[1,1]", stride = "[2,2]", dilation = "[1,1]";
};

/// The operation as it prints nested under `indent` (its own line included).
std::string graph_operation(const std::string& name, const std::string& indent, const GraphOp& op) {
  const std::string in = indent + "    ";
  return "i! " + indent + name + ": type=CUDNN_BACKEND_OPERATION_CONVOLUTION_" + op.direction +
         "_DESCRIPTOR:\n" + graph_tensor(in, op.x) + graph_tensor(in, op.w) +  //
         "i! " + in + "convDesc: type=CUDNN_BACKEND_CONVOLUTION_DESCRIPTOR:\n" + "i! " + in +
         "    computeType: type=cudnnDataType_t; val=" + op.compute + ";\n" + "i! " + in +
         "    mode: type=cudnnConvolutionMode_t; val=" + op.mode + ";\n" + "i! " + in +
         "    nbDims: type=int; val=" +
         std::to_string(std::count(op.stride.begin(), op.stride.end(), ',') + 1) + ";\n" + "i! " + in +
         "    upperPadA: type=int; val=" + op.upper + ";\n" + "i! " + in +
         "    lowerPadA: type=int; val=" + op.lower + ";\n" + "i! " + in +
         "    strideA: type=int; val=" + op.stride + ";\n" + "i! " + in +
         "    dilationA: type=int; val=" + op.dilation + ";\n" + graph_tensor(in, op.y) + "i! " + in +
         "alpha: type=float; val=1;\n";
}

const std::string kTail =
    "i! Time: 2026-12-04T15:49:10.567318 (0d+0h+0m+0s since start)\n"
    "i! Process=459; Thread=459; GPU=NULL; Handle=NULL; StreamId=NULL.\n\n\n";

std::string header(const std::string& function, char severity = 'I') {
  return std::string(1, severity) + "! CuDNN (v91900 56) function " + function + "() called:\n";
}

std::string finalize_record(const GraphOp& op) {
  return header("cudnnBackendFinalize") + graph_operation("descriptor", "    ", op) + kTail;
}

std::string execute_record(const std::string& operations) {
  return header("cudnnBackendExecute") +
         "i!     executionPlan: type=CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR:\n"
         "i!         engcfg: type=CUDNN_BACKEND_ENGINECFG_DESCRIPTOR:\n"
         "i!             engine: type=CUDNN_BACKEND_ENGINE_DESCRIPTOR:\n"
         "i!                 opGraph: type=CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR:\n" +
         operations +
         "i!                 engine_id: type=int; val=70;\n"
         "i!     variantPack: type=CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR:\n"
         "i!         Uid=120: location=dev; addr=0x7f97b3e01200;\n" +
         kTail;
}

std::string execute_record(const GraphOp& op) {
  return execute_record(graph_operation("operation", "                    ", op));
}

struct LegacyCall {
  std::string function = "cudnnConvolutionForward";
  std::string x_name = "xDesc", w_name = "wDesc", y_name = "yDesc";
  std::string type = "CUDNN_DATA_FLOAT (0)";
  std::string x_dims = "[2,3,20,20]", x_strides = "[1200,400,20,1]";
  std::string w_dims = "[8,3,3,3]", w_format = "CUDNN_TENSOR_NCHW (0)", w_vect = "0";
  std::string y_dims = "[2,8,10,10]", y_strides = "[800,100,10,1]";
  std::string mode = "CUDNN_CROSS_CORRELATION (1)";
  std::string pad = "[1,1]", stride = "[2,2]", dilation = "[1,1]", groups = "1";
};

std::string legacy_record(const LegacyCall& c) {
  auto tensor = [&](const std::string& name, const std::string& dims, const std::string& strides) {
    return "i!     " + name + ": type=cudnnTensorDescriptor_t:\n" +  //
           "i!         dataType: type=cudnnDataType_t; val=" + c.type + ";\n" +
           "i!         nbDims: type=int; val=" +
           std::to_string(std::count(dims.begin(), dims.end(), ',') + 1) + ";\n" +
           "i!         dimA: type=int; val=" + dims + ";\n" +  //
           "i!         strideA: type=int; val=" + strides + ";\n";
  };
  return header(c.function) + "i!     alpha: type=CUDNN_DATA_FLOAT; val=1.000000;\n" +
         tensor(c.x_name, c.x_dims, c.x_strides) + "i!     xData: location=dev; addr=0x7f969fe01200;\n" +
         "i!     " + c.w_name + ": type=cudnnFilterDescriptor_t:\n" +
         "i!         dataType: type=cudnnDataType_t; val=" + c.type + ";\n" +
         "i!         vect: type=int; val=" + c.w_vect + ";\n" + "i!         nbDims: type=int; val=" +
         std::to_string(std::count(c.w_dims.begin(), c.w_dims.end(), ',') + 1) + ";\n" +
         "i!         dimA: type=int; val=" + c.w_dims + ";\n" +
         "i!         format: type=cudnnTensorFormat_t; val=" + c.w_format + ";\n" +
         "i!     convDesc: type=cudnnConvolutionDescriptor_t:\n" +
         "i!         mode: type=cudnnConvolutionMode_t; val=" + c.mode + ";\n" +
         "i!         dataType: type=cudnnDataType_t; val=CUDNN_DATA_FLOAT (0);\n" +
         "i!         mathType: type=cudnnMathType_t; val=CUDNN_DEFAULT_MATH (0);\n" +
         "i!         arrayLength: type=int; val=" +
         std::to_string(std::count(c.pad.begin(), c.pad.end(), ',') + 1) + ";\n" +
         "i!         padA: type=int; val=" + c.pad + ";\n" + "i!         strideA: type=int; val=" + c.stride +
         ";\n" + "i!         dilationA: type=int; val=" + c.dilation + ";\n" +
         "i!         groupCount: type=int; val=" + c.groups + ";\n" +
         "i!     algo: type=cudnnConvolutionFwdAlgo_t; val=CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM "
         "(1);\n" +
         tensor(c.y_name, c.y_dims, c.y_strides) + kTail;
}

/// The one problem `text` gives, with its runs; fails the test if it gives anything else.
Problem only_problem(const std::string& text) {
  const Tally tally = read_log(text);
  EXPECT_TRUE(tally.rejections().empty()) << rejections(tally);
  EXPECT_EQ(tally.problems().size(), 1u);
  return tally.problems().empty() ? Problem{} : tally.problems()[0];
}

/// The one rejection `text` gives.
std::string only_rejection(const std::string& text) {
  const Tally tally = read_log(text);
  EXPECT_TRUE(tally.problems().empty());
  EXPECT_EQ(tally.rejections().size(), 1u) << rejections(tally);
  return tally.rejections().empty() ? std::string()
                                    : tally.rejections()[0].where + ": " + tally.rejections()[0].why;
}

TEST(CudnnLog, GraphFinalizeIsTheProblemAndExecuteARun) {
  const GraphOp op;
  const Tally tally = read_log(finalize_record(op) + execute_record(op) + execute_record(op));
  ASSERT_EQ(tally.problems().size(), 1u);
  EXPECT_EQ(key(tally.problems()[0]), key(problem("mb2ic3ih20oc8oh10kh3sh2ph1")));
  EXPECT_EQ(tally.problems()[0].label, "t.log:1");
  EXPECT_EQ(tally.problems()[0].runs, 2);
  // A plan finalized but never executed is still a problem, with no runs.
  EXPECT_EQ(only_problem(finalize_record(op)).runs, 0);
}

TEST(CudnnLog, ARecordCountsWhenItsLastLineArrives) {
  // What `convprobe capture` needs: the problem is there while the program still writes the log.
  Tally tally;
  CudnnLogReader reader("live.log", &tally);
  const std::string record = finalize_record(GraphOp{});
  std::string_view text = record;
  while (!text.empty() && tally.problems().empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    reader.feed_line(line);
    text.remove_prefix(end + 1);
    EXPECT_EQ(tally.problems().size(), line.starts_with("i! Process=") ? 1u : 0u) << line;
  }
  EXPECT_EQ(tally.problems().size(), 1u);
}

TEST(CudnnLog, LegacySearchIsTheProblemAndTheCallARun) {
  LegacyCall search;
  search.function = "cudnnGetConvolutionForwardWorkspaceSize";
  const Tally tally = read_log(legacy_record(search) + legacy_record(LegacyCall{}));
  ASSERT_EQ(tally.problems().size(), 1u);
  EXPECT_EQ(tally.problems()[0].runs, 1);
  EXPECT_EQ(tally.problems()[0].label, "t.log:1");
  EXPECT_EQ(only_problem(legacy_record(search)).runs, 0);
  // A count query names no problem and is not one.
  EXPECT_TRUE(read_log(header("cudnnGetConvolutionForwardAlgorithmMaxCount") + kTail).problems().empty());
}

TEST(CudnnLog, WarningsRepeatedOperationsAndInternalCallsAreNotRuns) {
  const std::string text =
      legacy_record(LegacyCall{}) + header("cudnnConvolutionForward", 'W') +
      "w!     Info: Traceback contains 1 message(s)\n"
      "w!         Warning: CUDNN_STATUS_NOT_SUPPORTED; Reason: (!srcDesc->isNHWC())\n\n" +
      "w! Time: 2026-12-04T15:49:15.541318 (0d+0h+0m+0s since start)\n"
      "w! Process=485; Thread=485; GPU=NULL; Handle=NULL; StreamId=NULL.\n\n" +
      [] {
        LegacyCall internal;
        internal.function = "cudnnBackendExecuteInternal";
        return legacy_record(internal);
      }() +
      header("cudnnBackendFinalize") + "i!     descriptor: type=CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR:\n" +
      graph_operation("operation", "        ", GraphOp{}) + kTail;
  const Problem p = only_problem(text);
  EXPECT_EQ(p.runs, 1);
}

TEST(CudnnLog, NhwcHalf) {
  GraphOp op;
  op.x = {"xDesc", "CUDNN_DATA_HALF (2)", "[1,16,12,12]", "[2304,1,192,16]"};
  op.w = {"wDesc", "CUDNN_DATA_HALF (2)", "[32,16,3,3]", "[144,1,48,16]"};
  op.y = {"yDesc", "CUDNN_DATA_HALF (2)", "[1,32,12,12]", "[4608,1,384,32]"};
  op.stride = "[1,1]";
  EXPECT_EQ(key(only_problem(finalize_record(op))), key(problem("f16_nhwc_mb1ic16ih12oc32oh12kh3ph1")));

  LegacyCall c;
  c.type = "CUDNN_DATA_HALF (2)";
  c.x_dims = "[1,16,12,12]", c.x_strides = "[2304,1,192,16]";
  c.w_dims = "[32,16,3,3]", c.w_format = "CUDNN_TENSOR_NHWC (1)";
  c.y_dims = "[1,32,12,12]", c.y_strides = "[4608,1,384,32]";
  c.stride = "[1,1]";
  EXPECT_EQ(key(only_problem(legacy_record(c))), key(problem("f16_nhwc_mb1ic16ih12oc32oh12kh3ph1")));
}

TEST(CudnnLog, Bf16AndCrlf) {
  GraphOp op;
  op.x.type = op.w.type = op.y.type = "CUDNN_DATA_BFLOAT16 (9)";
  std::string text = finalize_record(op);
  std::string crlf;
  for (char ch : text) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
  EXPECT_EQ(key(only_problem(crlf)), key(problem("bf16_mb2ic3ih20oc8oh10kh3sh2ph1")));
}

TEST(CudnnLog, ThreeDimensional) {
  GraphOp op;
  op.direction = "BACKWARD_FILTER";
  op.x = {"xDesc", "CUDNN_DATA_FLOAT (0)", "[1,4,6,8,8]", "[1536,384,64,8,1]"};
  op.w = {"dwDesc", "CUDNN_DATA_FLOAT (0)", "[16,4,3,3,3]", "[108,27,9,3,1]"};
  op.y = {"dyDesc", "CUDNN_DATA_FLOAT (0)", "[1,16,6,8,8]", "[6144,384,64,8,1]"};
  op.lower = op.upper = "[1,1,1]";
  op.stride = "[1,1,1]";
  op.dilation = "[1,1,1]";
  const Problem p = only_problem(finalize_record(op));
  EXPECT_EQ(p.spatial_dims, 3);
  EXPECT_EQ(key(p), key(problem("bwdw_mb1ic4id6ih8oc16od6oh8kd3kh3pd1ph1")));
}

TEST(CudnnLog, AsymmetricPadding) {
  GraphOp op;  // 20x20, k3 s2: 1 before, 2 after on H gives 11 rows; 0 before, 1 after on W gives 10
  op.lower = "[1,0]";
  op.upper = "[2,1]";
  op.y.dims = "[2,8,11,10]";
  op.y.strides = "[880,110,10,1]";
  const Problem p = only_problem(finalize_record(op));
  EXPECT_EQ(p.pad_begin[1], 1);
  EXPECT_EQ(p.pad_end[1], 2);
  EXPECT_EQ(p.pad_begin[2], 0);
  EXPECT_EQ(p.out()[1], 11);
  EXPECT_EQ(p.out()[2], 10);
}

TEST(CudnnLog, Conv1dStaysTwoDimensionalAndGroupsComeFromChannels) {
  GraphOp op;  // PyTorch's conv1d: H = 1; groups 4 from x.C 8 / w.C 2
  op.x = {"xDesc", "CUDNN_DATA_FLOAT (0)", "[2,8,1,50]", "[400,50,50,1]"};
  op.w = {"wDesc", "CUDNN_DATA_FLOAT (0)", "[12,2,1,5]", "[10,5,5,1]"};
  op.y = {"yDesc", "CUDNN_DATA_FLOAT (0)", "[2,12,1,46]", "[552,46,46,1]"};
  op.lower = op.upper = "[0,0]";
  op.stride = "[1,1]";
  const Problem p = only_problem(finalize_record(op));
  EXPECT_EQ(p.spatial_dims, 2);
  EXPECT_EQ(key(p), key(problem("g4mb2ic8ih1iw50oc12oh1ow46kh1kw5")));
}

TEST(CudnnLog, TransposedConvolutionForwardIsBackwardData) {
  LegacyCall c;
  c.function = "cudnnConvolutionBackwardData";
  c.x_name = "dxDesc", c.y_name = "dyDesc";
  c.x_dims = "[2,4,20,20]", c.x_strides = "[1600,400,20,1]";
  c.w_dims = "[8,4,2,2]";
  c.pad = "[0,0]";
  EXPECT_EQ(key(only_problem(legacy_record(c))), key(problem("bwdd_mb2ic4ih20oc8oh10kh2sh2")));
}

TEST(CudnnLog, RejectsVectorizedAndInt8Tensors) {
  LegacyCall vectorized;
  vectorized.w_vect = "4";
  vectorized.w_format = "CUDNN_TENSOR_NCHW_VECT_C (2)";
  EXPECT_EQ(only_rejection(legacy_record(vectorized)),
            "t.log:1: wDesc is vectorized (4 elements a vector): convprobe probes unvectorized tensors");
  LegacyCall format;
  format.w_format = "CUDNN_TENSOR_NCHW_VECT_C (2)";
  EXPECT_EQ(only_rejection(legacy_record(format)),
            "t.log:1: wDesc format CUDNN_TENSOR_NCHW_VECT_C: convprobe probes CUDNN_TENSOR_NCHW and "
            "CUDNN_TENSOR_NHWC filters");
  GraphOp int8;
  int8.x.type = int8.w.type = int8.y.type = "CUDNN_DATA_INT8 (3)";
  EXPECT_EQ(only_rejection(finalize_record(int8)),
            "t.log:1: xDesc dataType CUDNN_DATA_INT8: convprobe probes CUDNN_DATA_FLOAT, CUDNN_DATA_HALF and "
            "CUDNN_DATA_BFLOAT16");
  GraphOp mixed;
  mixed.y.type = "CUDNN_DATA_HALF (2)";
  EXPECT_NE(only_rejection(finalize_record(mixed)).find("one data type for all three tensors"),
            std::string::npos);
}

TEST(CudnnLog, RejectsWhatConvprobeCannotExpress) {
  GraphOp strides;  // x padded in memory: row stride 24 for a width of 20
  strides.x.strides = "[1440,480,24,1]";
  EXPECT_NE(only_rejection(finalize_record(strides))
                .find("xDesc strideA [1440,480,24,1] for dimA [2,3,20,20]: "
                      "convprobe probes packed NCHW ([1200,400,20,1]) or NHWC"),
            std::string::npos);
  GraphOp mixed_layouts;
  mixed_layouts.x.strides = "[1200,1,60,3]";
  EXPECT_NE(only_rejection(finalize_record(mixed_layouts)).find("wDesc is packed nchw unlike"),
            std::string::npos);
  GraphOp flipped;
  flipped.mode = "CUDNN_CONVOLUTION (0)";
  EXPECT_NE(only_rejection(finalize_record(flipped)).find("mode CUDNN_CONVOLUTION (a true convolution"),
            std::string::npos);
  GraphOp six_d;
  six_d.x = {"xDesc", "CUDNN_DATA_FLOAT (0)", "[1,1,2,3,20,20]", "[2400,2400,1200,400,20,1]"};
  EXPECT_NE(only_rejection(finalize_record(six_d)).find("convprobe probes 4-D (2-D convolutions) and 5-D"),
            std::string::npos);
  GraphOp half_compute;
  half_compute.compute = "CUDNN_DATA_HALF (2)";
  EXPECT_NE(only_rejection(finalize_record(half_compute)).find("compute type CUDNN_DATA_HALF"),
            std::string::npos);
  GraphOp wrong_output;
  wrong_output.y.dims = "[2,8,9,9]";
  wrong_output.y.strides = "[648,81,9,1]";
  EXPECT_NE(only_rejection(finalize_record(wrong_output))
                .find("yDesc dimA [2,8,9,9] is not this convolution's "
                      "output [2,8,10,10]"),
            std::string::npos);
  GraphOp huge;
  huge.x.dims = "[2,3,20,99999999999]";
  EXPECT_NE(only_rejection(finalize_record(huge)).find("xDesc dimA '[2,3,20,99999999999]': expected a list"),
            std::string::npos);
  GraphOp too_big;  // each extent in range, the tensor not
  too_big.x.dims = "[2000000000,3,20,20]";
  too_big.x.strides = "[1200,400,20,1]";
  too_big.y.dims = "[2000000000,8,10,10]";
  EXPECT_NE(only_rejection(finalize_record(too_big)).find("not a valid convolution: src tensor="),
            std::string::npos);
  GraphOp groups;
  groups.w.dims = "[8,2,3,3]";
  groups.w.strides = "[18,9,3,1]";
  EXPECT_NE(only_rejection(finalize_record(groups)).find("xDesc C 3 is not a multiple of wDesc C 2"),
            std::string::npos);
  GraphOp negative_pad;
  negative_pad.lower = "[-1,1]";
  EXPECT_NE(only_rejection(finalize_record(negative_pad)).find("lowerPadA [-1,1]: expected >= 0"),
            std::string::npos);
}

TEST(CudnnLog, TruncatedRecords) {
  const std::string whole = legacy_record(LegacyCall{});
  const std::string cut = whole.substr(0, whole.find("i!     convDesc"));
  EXPECT_EQ(only_rejection(cut),
            "t.log:1: truncated: the cudnnConvolutionForward() record ends at line 14 without its closing "
            "'Process=' line (the log ends there)");
  // Cut short by the next record: the next one still counts.
  const Tally tally = read_log(cut + whole);
  EXPECT_EQ(tally.problems().size(), 1u);
  ASSERT_EQ(tally.rejections().size(), 1u);
  EXPECT_EQ(
      tally.rejections()[0].why,
      "truncated: the cudnnConvolutionForward() record ends at line 14 without its closing 'Process=' line "
      "(line 15 begins another record)");
  // An operation cut short inside an execution, and a record with no convolution: only the first is lost.
  const std::string execute = execute_record(GraphOp{});
  EXPECT_NE(only_rejection(execute.substr(0, execute.find("convDesc")))
                .find("truncated: the cudnnBackendExecute()"),
            std::string::npos);
  EXPECT_TRUE(read_log(header("cudnnCreate") + "i!     handle: location=host;").rejections().empty());
}

TEST(CudnnLog, Fusions) {
  LegacyCall fused;
  fused.function = "cudnnConvolutionBiasActivationForward";
  const Tally legacy = read_log(legacy_record(fused));
  EXPECT_TRUE(legacy.problems().empty());
  EXPECT_EQ(legacy.skipped().at("fused conv+bias+activation (cudnnConvolutionBiasActivationForward)"), 1);

  const std::string pointwise =
      "i!                     operation: type=CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR:\n"
      "i!                         xDesc: type=CUDNN_BACKEND_TENSOR_DESCRIPTOR:\n"
      "i!                             type: type=cudnnDataType_t; val=CUDNN_DATA_FLOAT (0);\n";
  const Tally graph =
      read_log(execute_record(graph_operation("operation", "                    ", GraphOp{}) + pointwise));
  EXPECT_TRUE(graph.problems().empty());
  EXPECT_TRUE(graph.rejections().empty()) << rejections(graph);
  EXPECT_EQ(graph.skipped().at("fused operation graph with a convolution (cudnnBackendExecute)"), 1);
  // A graph without a convolution is none of convprobe's business.
  const Tally other = read_log(execute_record(pointwise));
  EXPECT_TRUE(other.problems().empty() && other.skipped().empty() && other.rejections().empty());
}

TEST(CudnnLog, ErrorOfAConvolutionCallIsAWarning) {
  const std::string call = legacy_record(LegacyCall{});
  const auto error_line = 1 + std::count(call.begin(), call.end(), '\n');
  const std::string text = call + header("cudnnConvolutionForward", 'E') +
                           "e!     Info: Traceback contains 1 message(s)\n"
                           "e!         Error: CUDNN_STATUS_BAD_PARAM; Reason: dimA[i] <= 0\n"
                           "e! Time: 2026-12-04T15:49:15.541318 (0d+0h+0m+0s since start)\n"
                           "e! Process=485; Thread=485; GPU=NULL; Handle=NULL; StreamId=NULL.\n" +
                           header("cudnnCreate", 'E') + "e!     Error: CUDNN_STATUS_NOT_INITIALIZED\n" +
                           "e! Process=485; Thread=485; GPU=NULL; Handle=NULL; StreamId=NULL.\n";
  const Tally tally = read_log(text);
  EXPECT_EQ(tally.problems().size(), 1u);
  ASSERT_EQ(tally.warnings().size(), 1u);
  EXPECT_EQ(
      tally.warnings()[0],
      "t.log:" + std::to_string(error_line) +
          ": cuDNN reported an error in cudnnConvolutionForward(): Error: CUDNN_STATUS_BAD_PARAM; Reason: "
          "dimA[i] <= 0");
}

TEST(CudnnLog, GarbageGivesNothing) {
  const std::vector<std::string> inputs = {
      "",
      "\n\n\n",
      "i!     xDesc: type=cudnnTensorDescriptor_t:\ni! Process=1\n",
      header("cudnnConvolutionForward") + std::string("\0\xff\n", 3),
      "I! CuDNN (v91900 56) function cudnnBackendExecute() called:\ni!   odd: type=int; val=[;\ni! "
      "Process=\n",
      "I! CuDNN (v91900 56) function cudnnBackendFinalize() called:\ni!     descriptor: type=:\ni! "
      "Process=\n",
  };
  for (const auto& text : inputs) {
    const Tally tally = read_log(text);
    EXPECT_TRUE(tally.problems().empty()) << text;
  }
  // A legacy call whose descriptors are missing is rejected, not counted.
  EXPECT_EQ(only_rejection(header("cudnnConvolutionForward") + kTail),
            "t.log:1: the record has no xDesc (input) descriptor");
}

}  // namespace
}  // namespace convprobe::sources
