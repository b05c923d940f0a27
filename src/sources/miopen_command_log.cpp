// What a line of MIOpen's command log holds, read with MIOpen's own printing code at hand (ROCm/MIOpen tags
// rocm-5.2.0, rocm-5.4.0 and develop 2d1fd997a; rocm-libraries projects/miopen prints the same flags):
//  - the prefix is LoggingPrefix() (5.2 src/logger.cpp:172-191): "<tid> " with MIOPEN_ENABLE_LOGGING_MPMT,
//    "MIOpen", "(HIP)" or "(OpenCL)" by backend (nothing in newer builds), the elapsed milliseconds in
//    setw(8) with MIOPEN_ENABLE_LOGGING_ELAPSED_TIME, then ": ";
//  - "Command [<function>] " and the driver: "./bin/MIOpenDriver", "MIOpenDriver.exe" on Windows (develop
//    src/include/miopen/logger.hpp:407-421);
//  - the convolution flags are those parse_miopen_driver() reads (5.2 src/convolution_api.cpp:305-399,
//    develop src/driver_arguments.cpp:116-228): -S, -t and -Z are run options it accepts and ignores.
#include "sources/miopen_command_log.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "base/text.hpp"
#include "convprobe/problem.hpp"

namespace convprobe::sources {

namespace {

constexpr std::string_view kCommandMark = "Command [";
constexpr std::string_view kExecution = "LogCmdConvolution";
constexpr std::string_view kFind = "LogCmdFindConvolution";
constexpr std::string_view kFusion = "LogCmdFusion";

/// A driver command found on a line.
struct Command {
  std::string_view function;  ///< the logging function, "LogCmdConvolution"; empty on a command file's line
  std::string_view args;      ///< what follows the driver's path: "conv -n 128 ..."
};

std::string_view first_word(std::string_view s) {
  s = trim(s);
  return s.substr(0, std::min(s.size(), s.find_first_of(" \t")));
}

/// "./bin/MIOpenDriver", "MIOpenDriver", "MIOpenDriver.exe", "/opt/rocm/bin/MIOpenDriver",
/// "C:\...\MIOpenDriver.exe".
bool is_driver_path(std::string_view word) {
  for (std::string_view name : {"MIOpenDriver", "MIOpenDriver.exe"}) {
    if (!word.ends_with(name)) continue;
    const size_t before = word.size() - name.size();
    if (before == 0 || word[before - 1] == '/' || word[before - 1] == '\\') return true;
  }
  return false;
}

/// `s` without a leading driver path (MIOpen always prints one; a hand-edited log may not).
std::string_view after_driver_path(std::string_view s) {
  s = trim(s);
  const std::string_view word = first_word(s);
  return is_driver_path(word) ? trim(s.substr(word.size())) : s;
}

/// True when `before` (the text before "Command [") ends in LoggingPrefix(): "MIOpen", then "(HIP)",
/// "(OpenCL)" or nothing, then the elapsed time or nothing, then ": ". Anything may come first (the thread
/// id, a timestamp a log collector adds).
bool ends_with_logging_prefix(std::string_view before) {
  if (!before.ends_with(": ")) return false;
  before.remove_suffix(2);
  size_t end = before.size();
  while (end > 0 && (std::isdigit(static_cast<unsigned char>(before[end - 1])) || before[end - 1] == '.'))
    --end;
  if (end < before.size()) {
    while (end > 0 && before[end - 1] == ' ') --end;  // setw(8) pads the elapsed time on the left
  }
  before = before.substr(0, end);
  for (std::string_view backend : {"(HIP)", "(OpenCL)"}) {
    if (before.ends_with(backend)) {
      before.remove_suffix(backend.size());
      break;
    }
  }
  return before.ends_with("MIOpen");
}

std::optional<Command> log_command(std::string_view line) {
  for (size_t at = line.find(kCommandMark); at != std::string_view::npos;
       at = line.find(kCommandMark, at + 1)) {
    if (!ends_with_logging_prefix(line.substr(0, at))) continue;
    const std::string_view rest = line.substr(at + kCommandMark.size());
    const size_t close = rest.find(']');
    if (close == 0 || close == std::string_view::npos) return std::nullopt;
    return Command{rest.substr(0, close), after_driver_path(rest.substr(close + 1))};
  }
  return std::nullopt;
}

/// A command file's line: the driver's path first; a '#' starts a comment (MIOpen's flags never hold one).
std::optional<Command> file_command(std::string_view line) {
  line = trim(line.substr(0, line.find('#')));
  if (!is_driver_path(first_word(line))) return std::nullopt;
  return Command{{}, after_driver_path(line)};
}

bool has_solver_flag(std::string_view args) {
  for (std::string_view word : split_whitespace(args)) {
    if (word == "-S" || word == "--solution" || word.starts_with("--solution=")) return true;
  }
  return false;
}

/// The skip kind of a driver command convprobe does not probe: "bnorm (LogCmdBNorm)", "pool (MIOpenDriver
/// command)". Cut short, so a garbage line cannot make a kind of any length.
std::string other_kind(std::string_view word, std::string_view function) {
  constexpr size_t kMax = 48;
  word = word.substr(0, kMax);
  function = function.substr(0, kMax);
  if (word.empty()) return std::string(function);
  return fmt::format("{} ({})", word, function.empty() ? "MIOpenDriver command" : function);
}

bool is_convolution_function(std::string_view function) {
  return function == kExecution || function == kFind;
}

}  // namespace

bool looks_like_miopen_log(std::string_view head) {
  for (std::string_view line : split_list(head, '\n')) {
    if (log_command(line)) return true;
  }
  return false;
}

bool looks_like_miopen_driver_commands(std::string_view head) {
  const auto lines = split_list(head, '\n');
  bool any = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = trim(lines[i]);
    if (line.empty() || line.front() == '#') continue;
    const bool last = i + 1 == lines.size();
    if (file_command(line)) {
      any = true;
    } else if (!last || !any) {
      return false;
    }
  }
  return any;
}

MiopenLogReader::MiopenLogReader(std::string origin, Tally* tally)
    : origin_(std::move(origin)), tally_(tally) {}

void MiopenLogReader::feed_line(std::string_view line) {
  ++line_no_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::optional<Command> c = log_command(line);
  if (!c) c = file_command(line);
  if (!c) return;  // the program's own output, or MIOpen's other logging
  ++commands_;
  const std::string where = fmt::format("{}:{}", origin_, line_no_);
  const std::string_view word = first_word(c->args);
  if (c->function == kFusion) {
    // A fusion plan runs a fused kernel (conv + bias + activation, "CBAInfer"), chosen among the fusion
    // solvers, not the convolution solvers convprobe probes.
    tally_->skip("fusion (LogCmdFusion)");
  } else if (is_convolution_function(c->function) || word.starts_with("conv")) {
    read_convolution(c->function, c->args, where);
  } else if (c->function.empty() && (word.empty() || word.front() == '-')) {
    tally_->reject(where,
                   "MIOpenDriver line without a command word: expected conv, convfp16 or convbfp16 "
                   "before the flags (MIOpenDriver needs one)");
  } else {
    tally_->skip(other_kind(word, c->function));
  }
}

void MiopenLogReader::read_convolution(std::string_view function, std::string_view args,
                                       const std::string& where) {
  const std::string_view word = first_word(args);
  if (word.empty() || word.front() == '-') {
    tally_->reject(where,
                   fmt::format("[{}] line without a command word: expected conv, convfp16 or convbfp16 "
                               "before the flags (MIOpen always prints one)",
                               function));
    return;
  }
  Problem p;
  std::string err;
  if (!parse_miopen_driver(args, &p, &err)) {
    tally_->reject(where, err);
    return;
  }
  // Executions count one run each; Find calls add the problem without a run. ROCm 5.4 onwards logs the three
  // miopenFindConvolution*Algorithm calls and Find 2.0's miopenFindSolutions as [LogCmdFindConvolution]
  // (rocm-5.4.0 src/convolution_api.cpp:480,1108,1294; develop src/problem.cpp:734) and executions as
  // [LogCmdConvolution]: miopenConvolution{Forward,BackwardData,BackwardWeights}, the *Immediate calls (-S 0)
  // and miopenRunSolution (-S <solver>, develop src/solution.cpp:117). ROCm 5.2 and 5.3 log no Find call
  // except miopenFindConvolutionBackwardWeightsAlgorithm, and that one as [LogCmdConvolution] like an
  // execution (rocm-5.2.0 src/convolution_api.cpp:1243 beside :1295): finish() says so.
  saw_find_ = saw_find_ || function == kFind;
  if (function == kExecution && p.dir == Direction::bwd_weights && !has_solver_flag(args)) {
    saw_wrw_run_without_solver_ = true;
  }
  tally_->add(std::move(p), where, function == kExecution ? 1 : 0);
}

void MiopenLogReader::finish() {
  if (finished_) return;
  finished_ = true;
  if (commands_ == 0) {
    tally_->warn(
        fmt::format("{}: no MIOpen command lines (MIOpen writes them to stderr when "
                    "MIOPEN_ENABLE_LOGGING_CMD=1 is set)",
                    origin_));
  }
  if (saw_wrw_run_without_solver_ && !saw_find_) {
    tally_->warn(fmt::format(
        "{}: no [LogCmdFindConvolution] line; if this is MIOpen before ROCm 5.4, it logged "
        "miopenFindConvolutionBackwardWeightsAlgorithm as [LogCmdConvolution] too, so the run counts of "
        "bwd-weights problems may include their Find calls",
        origin_));
  }
}

}  // namespace convprobe::sources
