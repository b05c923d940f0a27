// A cuDNN 9 API log (CUDNN_LOGLEVEL_DBG=3, CUDNN_LOGDEST_DBG=FILE) turned into convprobe problems.
//
// The log is a sequence of records, one per API call (and, on the graph API, a second one with its status
// when it returns): a header "I! CuDNN (v91900 56) function NAME() called:", fields "i!     name: type=T;
// val=V;" nested 4 spaces a level, and "i! Time: ..." and "i! Process=...; Thread=..." last. W!/E! records
// (warnings, errors) have the same shape. What counts, with the evidence of the two real logs in
// tests/sources/data/ (PyTorch 2.11, cuDNN 9.19.0, H200; line numbers of the decompressed files):
//
// Legacy API (legacy log). cudnnConvolutionForward / BackwardData / BackwardFilter are executions: runs 1
// each (240, 930, 1605). cudnnGet*Algorithm*, cudnnFind*Algorithm* and cudnnGet*WorkspaceSize describe the
// same problem without running it: runs 0 (117), so a problem only ever searched still appears. A W! record
// of the same function (667) is a warning about that call, not a second call. ConvTranspose2d's forward is
// cudnnConvolutionBackwardData (930): it is a bwd-data problem.
//
// Graph API (backend log, PyTorch's default). cudnnBackendFinalize() of a top-level
// CUDNN_BACKEND_OPERATION_CONVOLUTION_{FORWARD,BACKWARD_DATA,BACKWARD_FILTER}_DESCRIPTOR (1055) builds the
// operation: runs 0. cudnnBackendExecute()'s first record (11097) carries the whole plan: executionPlan >
// engcfg > engine > opGraph > operation with the same tensors and convDesc, then engine_id and knobDesc: it
// counts one run, read from that nested operation. Its second record (11208) has only the status. Nothing
// else counts: the operation graph's SetAttribute/Finalize (1133, 1196), engine queries and destroys repeat
// the operation, and cudnnBackendExecuteInternal() (11166) is cuDNN's own call inside every execution, of
// the graph API and of the legacy API alike (legacy 301 after 240), so counting it would count each run
// twice. In the backend log each of the 10 operations is finalized once and executed once (PyTorch builds a
// plan per shape and caches it); with torch.backends.cudnn.benchmark=True PyTorch also executes the plans it
// times, and those executions count as runs. The JSON records (cudnnBackendFinalize*Visualize) are
// undocumented and ignored.
//
// TF32. The operation has no TF32 attribute (its computeType is CUDNN_DATA_FLOAT for the f16 operation too,
// 86297); the legacy mathType (CUDNN_DEFAULT_MATH, record 117) and ExecuteInternal's "enable_tf32: true"
// (11167) say only that TF32 was permitted. Whether a run used it shows in the executed engine's numerical
// notes: engine 45 of the f16 run is noted TENSOR_CORE (97877), but the f32 runs' engines 70, 74, 28 and 0
// print no notes or only STRICT_NAN_PROP (11154, 52736), none TENSOR_CORE or DOWN_CONVERT_INPUTS: the program
// computed in strict f32 though TF32 was allowed. A convprobe tf32 problem keeps only TF32 candidates
// (docs/cudnn.md, "--math"), which would drop the engines that ran, so f32 storage is always an f32 problem;
// which math to probe is `--math`'s choice.
//
// Fields: N, C and the spatial extents from x (dx for bwd-data); K, C/g and the kernel from w (dw); groups
// from groupCount, else x.C / w.C; padding lowerPadA (before) and upperPadA (after), or padA on both sides;
// dilation 1 (cuDNN's none) is convprobe's 0. 4-D tensors are 2-D problems (PyTorch's conv1d arrives with
// H = 1 and stays 2-D), 5-D are 3-D. Layout: packed NCHW or packed NHWC, the same for x, w and y (strides of
// size-1 dimensions do not matter). Rejected, naming the field, its value and what convprobe accepts:
// other strides, vectorized tensors and filters, data types other than FLOAT/HALF/BFLOAT16 (int8, double,
// fp8), mixed data types, compute types other than FLOAT, CUDNN_CONVOLUTION mode (flipped filter), other
// ranks, values out of range, an output that is not the convolution's, and records cut short.
// cudnnConvolutionBiasActivationForward and executed graphs of more than one operation are counted as
// skipped fusions; every other record is ignored.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sources/tally.hpp"

namespace convprobe::sources {

/// True when `head` (a file's first few KiB) is a cuDNN API log ("I! CuDNN (v91900 ...) function ...
/// called:").
[[nodiscard]] bool looks_like_cudnn_log(std::string_view head);

/// Reads a log a line at a time (so `convprobe capture` can read the log while the program still writes it).
/// A record is handled when its "Process=" line arrives; memory is bounded by one record's fields.
class CudnnLogReader {
 public:
  /// `origin`: the file name, used as "<origin>:<line>" for labels and rejections.
  CudnnLogReader(std::string origin, Tally* tally);
  ~CudnnLogReader();
  CudnnLogReader(const CudnnLogReader&) = delete;
  CudnnLogReader& operator=(const CudnnLogReader&) = delete;

  /// One line, without its '\n' (a trailing '\r' tolerated).
  void feed_line(std::string_view line);
  /// End of input: a convolution record cut short -> tally->reject("<origin>:<line>", "truncated: ...").
  void finish();

 private:
  struct Record;
  /// Starts a record if `line` is a record's header (ending the one before, cut short); false otherwise.
  bool begin_record(std::string_view line);
  void read_field(std::string_view line);
  void close_operation();
  /// The record's "Process=" line arrived: count what it holds.
  void end_record();
  /// The record ends at `last_line` without its "Process=" line.
  void end_truncated_record(int64_t last_line, std::string_view how_it_ends);
  void count(int64_t runs);
  [[nodiscard]] std::string where(int64_t line) const;

  std::string origin_;
  Tally* tally_;
  int64_t line_ = 0;
  std::unique_ptr<Record> record_;  ///< the record being read; null between records
};

}  // namespace convprobe::sources
