#include "jobs/capture_output.hpp"

#include <fmt/core.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/files.hpp"
#include "core/shell_quote.hpp"
#include "jobs/model_import.hpp"
#include "jobs/usage_error.hpp"
#include "report/document.hpp"
#include "sources/problems_text.hpp"
#include "store/store_time.hpp"
#include "supervisor/exit_status.hpp"

namespace convprobe {

namespace {

std::string how_it_ended(const CaptureResult& r) {
  std::string text = describe_wait_status(r.wait_status);
  if (!r.stopped_by.empty()) text += " (stopped by convprobe: " + r.stopped_by + ")";
  return text;
}

std::vector<std::string> provenance(const CaptureResult& r) {
  return {fmt::format("captured by convprobe {} on {}", CONVPROBE_VERSION, store_detail::utc_now_iso8601()),
          fmt::format("ran: {}", r.what_ran),
          fmt::format("it ended with {} after {:.1f} s", how_it_ended(r), r.seconds),
          "each line: <how often it ran>x <descriptor> n\"<where it was first seen>\""};
}

nlohmann::json program_json(const CaptureResult& r) {
  nlohmann::json j{
      {"ran", r.what_ran}, {"ended", describe_wait_status(r.wait_status)}, {"seconds", r.seconds}};
  j["exit_code"] = WIFEXITED(r.wait_status) ? nlohmann::json(WEXITSTATUS(r.wait_status)) : nlohmann::json();
  j["signal"] =
      WIFSIGNALED(r.wait_status) ? nlohmann::json(signal_name(WTERMSIG(r.wait_status))) : nlohmann::json();
  j["stopped_by"] = r.stopped_by.empty() ? nlohmann::json() : nlohmann::json(r.stopped_by);
  return j;
}

nlohmann::json capture_json(const CaptureOptions& o, const CaptureResult& r) {
  nlohmann::json doc = document_header();
  doc["program"] = program_json(r);
  doc.update(tally_json(r.tally));
  doc["output"] = o.output.empty() ? nlohmann::json() : nlohmann::json(o.output);
  return doc;
}

void say(const std::string& line) { fmt::print(stderr, "[convprobe capture] {}\n", line); }

/// Rejections and warnings name their line or node; a long list is cut, the JSON keeps them all.
void report_problems_of_input(const sources::Tally& t) {
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < t.rejections().size() && i < kShown; ++i)
    say(fmt::format("not expressible: {}: {}", t.rejections()[i].where, t.rejections()[i].why));
  if (t.rejections().size() > kShown)
    say(fmt::format("... and {} more not expressible", t.rejections().size() - kShown));
  for (size_t i = 0; i < t.warnings().size() && i < kShown; ++i) say("warning: " + t.warnings()[i]);
}

}  // namespace

void check_capture_options(const CaptureOptions& o) {
  const bool torch = !o.torch_model.empty();
  if (torch && !o.command.empty())
    throw UsageError("give either --torch MODEL or a program after '--', not both");
  if (!torch && o.command.empty())
    throw UsageError(
        "nothing to capture: give a program after '--' (convprobe capture -- python3 train.py) or --torch "
        "MODEL");
  if (torch && o.torch_input.empty())
    throw UsageError("--torch needs --input, the input's shape, e.g. --input 32x3x224x224");
  if (!torch && (!o.torch_input.empty() || o.train || !o.dtype.empty() || o.channels_last))
    throw UsageError("--input, --train, --dtype and --channels-last go with --torch");
  if (o.max_seconds < 0)
    throw UsageError(fmt::format("--max-seconds {}: expected 0 (no limit) or more", o.max_seconds));
  if (o.steps < 0) throw UsageError(fmt::format("--steps {}: expected 0 (no limit) or more", o.steps));
}

int finish_capture(const CaptureOptions& o, const CaptureResult& r) {
  say(fmt::format("{} ended with {} after {:.1f} s", r.what_ran, how_it_ended(r), r.seconds));
  say(sources::tally_summary(r.tally));
  report_problems_of_input(r.tally);
  if (!o.json.empty()) write_json_output(o.json, capture_json(o, r));
  if (r.tally.problems().empty()) {
    say("no convolution was logged, so nothing was written. convprobe reads MIOpen's command log "
        "(MIOPEN_ENABLE_LOGGING_CMD) and cuDNN's API log (CUDNN_LOGLEVEL_DBG); a program on the CPU logs "
        "neither: record a PyTorch model with --torch instead");
    return 1;
  }
  const std::string text = sources::problems_file_text(r.tally, provenance(r));
  if (o.output.empty()) {
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
    return 0;
  }
  std::string err;
  if (!write_file_atomically(o.output, text, &err)) throw std::runtime_error("-o: " + err);
  say(fmt::format("wrote {} problems to {}; probe them with: convprobe sweep --problems {}",
                  r.tally.problems().size(), o.output, shell_quote(o.output)));
  return 0;
}

}  // namespace convprobe
