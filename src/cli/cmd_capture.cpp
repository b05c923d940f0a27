// `convprobe capture [-o FILE] -- COMMAND...` and `convprobe capture --torch MODEL --input SHAPE`: the
// convolutions a program really ran, as a problems file with counts (jobs/capture.hpp; docs/capture.md).
#include "cli/cli.hpp"
#include "jobs/capture.hpp"

namespace convprobe::cli {

namespace {

constexpr const char* kFooter = R"(Examples:
  convprobe capture -o resnet.txt -- python3 train.py --epochs 1
  convprobe capture --steps 3 -o convs.txt -- python3 train.py     # stop after 3 training steps
  MIOpen: convprobe capture -- MIOpenDriver conv -n 32 -c 64 -H 56 -W 56 -k 64 -y 3 -x 3 -p 1 -q 1
  convprobe capture --torch torchvision.models:resnet50 --input 32x3x224x224 --train -o r50.txt
then: convprobe sweep --problems resnet.txt

The program runs with MIOPEN_ENABLE_LOGGING_CMD=1 (its stderr is read, and still shown to you) and
CUDNN_LOGLEVEL_DBG=3 with CUDNN_LOGDEST_DBG pointing at a private file. Both logs cost time: capture one
short run (--steps, --max-seconds), not a whole training. Without -o the problems go to stdout and the
program's own stdout to stderr, so `convprobe capture -- ... > problems.txt` works. A program that crashes,
hangs (stop it with Ctrl-C or --max-seconds) or fails still yields what it logged before. --torch records a
PyTorch model on the meta device (no GPU, no weights): python3 with torch is all it needs.

Exit codes: 0 problems captured (the program's own exit status is reported on stderr and in --json);
1 nothing was logged; 2 bad usage, or a program that could not be started.)";

void add_torch_options(CLI::App* cmd, CaptureOptions& o) {
  cmd->add_option("--torch", o.torch_model,
                  "Record a PyTorch model instead of running a program: MODULE:CALLABLE returning the model, "
                  "e.g. torchvision.models:resnet50");
  cmd->add_option("--input", o.torch_input, "With --torch: the input's shape, e.g. 32x3x224x224");
  cmd->add_flag("--train", o.train, "With --torch: a training step (forward and backward), not inference");
  cmd->add_option("--dtype", o.dtype, "With --torch: cast model and input to f32, f16 or bf16")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}));
  cmd->add_flag("--channels-last", o.channels_last, "With --torch: channels-last (NHWC) memory format");
  cmd->add_option("--python", o.python,
                  "With --torch: the Python interpreter that has torch (default python3)");
}

}  // namespace

void add_capture_command(CLI::App& app, CliState& state) {
  auto o = std::make_shared<CaptureOptions>();
  auto* cmd = app.add_subcommand("capture", "Run a program and record the convolutions it ran, with counts");
  cmd->add_option("command", o->command, "The program and its arguments, after '--'");
  cmd->add_option("-o,--output", o->output, "Problems file to write (whole or not at all); default stdout");
  cmd->add_option("--json", o->json, "Also write a summary document to FILE, or to stdout with '-'");
  cmd->add_option("--max-seconds", o->max_seconds, "Stop the program after this many seconds (0: no limit)");
  cmd->add_option(
      "--steps", o->steps,
      "Stop the program once every convolution seen ran N times: N steps of its loop, with no new "
      "shape in the last one (0: no limit)");
  cmd->add_option("--keep-logs", o->keep_logs,
                  "Keep the raw logs (stderr.log, cudnn-api.log) in this folder; labels point into them");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress lines");
  add_torch_options(cmd, *o);
  cmd->footer(kFooter);
  cmd->callback([o, &state] { state.exit_code = run_capture(*o); });
}

}  // namespace convprobe::cli
