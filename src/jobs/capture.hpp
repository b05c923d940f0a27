// `convprobe capture -- COMMAND...`: run a user's program with MIOpen's command logging and cuDNN's API log
// switched on, read both while it runs, and write the convolutions it actually ran as a problems file with
// how often each ran (docs/capture.md). `--torch SPEC` does the same through the PyTorch recorder on the
// meta device: no GPU, no weights.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace convprobe {

struct CaptureOptions {
  std::vector<std::string> command;  ///< the program and its arguments
  std::string output;                ///< problems file; empty: standard output (the program's goes to stderr)
  std::string json;                  ///< summary document: a path, "-" for stdout, empty for none
  std::string keep_logs;             ///< folder to keep the raw logs in (labels point into them)
  double max_seconds = 0;            ///< stop the program after this long; 0: no limit
  int64_t steps = 0;                 ///< stop once every problem seen ran this often; 0: no limit
  bool quiet = false;                ///< no progress lines
  // --torch: the recorder instead of a program.
  std::string torch_model;  ///< "module.path:callable", e.g. torchvision.models:resnet50
  std::string torch_input;  ///< "32x3x224x224"
  bool train = false;
  std::string dtype;  ///< f32, f16, bf16; empty: the model's own
  bool channels_last = false;
  std::string python = "python3";
};

/// Exit status: 0 problems captured (whatever the program's own status, which is reported), 1 nothing
/// captured, 2 bad usage or a program that could not be started. Throws UsageError on bad options.
int run_capture(const CaptureOptions& options);

}  // namespace convprobe
