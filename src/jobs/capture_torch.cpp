// `capture --torch MODEL --input SHAPE`: the recorder (python/convprobe_torch, shipped with convprobe) runs
// the model on PyTorch's meta device and writes its convolutions as JSON; that JSON is read like any other
// source.
#include <fmt/core.h>

#include <chrono>
#include <filesystem>

#include "base/files.hpp"
#include "jobs/capture_output.hpp"
#include "jobs/child_program.hpp"
#include "jobs/usage_error.hpp"
#include "sources/torch_record.hpp"
#include "sources/torch_recorder_location.hpp"
#include "supervisor/exit_status.hpp"

namespace convprobe {

namespace {

std::vector<std::string> recorder_command(const CaptureOptions& o, const std::string& json_path) {
  std::vector<std::string> argv{o.python,      "-m", "convprobe_torch", "--model", o.torch_model, "--input",
                                o.torch_input, "-o", json_path};
  if (o.train) argv.emplace_back("--train");
  if (!o.dtype.empty()) argv.insert(argv.end(), {"--dtype", o.dtype});
  if (o.channels_last) argv.emplace_back("--channels-last");
  return argv;
}

std::string python_path() {
  const std::string recorder = sources::recorder_python_path();
  if (recorder.empty())
    throw std::runtime_error(
        "the PyTorch recorder (python/convprobe_torch) is not installed next to this convprobe; set "
        "CONVPROBE_PYTHONPATH to the folder that holds convprobe_torch/");
  const char* existing = std::getenv("PYTHONPATH");
  return existing != nullptr && *existing != '\0' ? recorder + ":" + existing : recorder;
}

/// The recorder's stderr is the user's to see (a model that does not import, a torch too old).
int run_recorder(const CaptureOptions& o, const std::string& json_path) {
  std::string err;
  auto child =
      ChildProgram::start({recorder_command(o, json_path), {{"PYTHONPATH", python_path()}}, 2}, &err);
  if (!child) throw UsageError(fmt::format("--python {}: {}", o.python, err));
  while (!child->try_reap() || child->stderr_open()) {
    const std::string bytes = child->read_stderr(std::chrono::milliseconds(200));
    std::fwrite(bytes.data(), 1, bytes.size(), stderr);
    if (child->reaped() && bytes.empty()) break;
  }
  return child->wait_status();
}

}  // namespace

CaptureResult capture_with_torch_recorder(const CaptureOptions& o) {
  CaptureResult result;
  result.what_ran =
      fmt::format("the PyTorch recorder on {} with input {}{}{}{}", o.torch_model, o.torch_input,
                  o.train ? ", a training step" : ", inference", o.dtype.empty() ? "" : ", " + o.dtype,
                  o.channels_last ? ", channels-last" : "");
  const auto started = std::chrono::steady_clock::now();
  const std::string json_path =
      (std::filesystem::temp_directory_path() / fmt::format("convprobe-torch-{}.json", ::getpid())).string();
  result.wait_status = run_recorder(o, json_path);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::string text;
  std::string err;
  const bool have_json = read_file(json_path, &text, &err);
  std::filesystem::remove(json_path);
  if (!have_json) {
    // The recorder said why on stderr (exit 2: bad model spec or input; 1: torch missing or too old).
    throw UsageError(fmt::format("the recorder wrote no record ({}); its messages are above",
                                 describe_wait_status(result.wait_status)));
  }
  if (!sources::read_torch_record(text, o.torch_model, &result.tally, &err)) throw std::runtime_error(err);
  return result;
}

}  // namespace convprobe
