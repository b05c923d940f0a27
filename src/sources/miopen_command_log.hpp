// MIOpen's command log and files of MIOpenDriver commands as a source of problems (docs/problems.md, "From
// MIOpen's command log"). With MIOPEN_ENABLE_LOGGING_CMD=1 MIOpen writes one line to stderr per call,
//   [<tid> ]MIOpen[(HIP)|(OpenCL)][<elapsed>]: Command [LogCmdConvolution] ./bin/MIOpenDriver conv ...
// (ROCm/MIOpen rocm-5.2.0 src/include/miopen/logger.hpp:343-353 and src/logger.cpp:172-191; newer builds
// print "MIOpen:" without the backend). A line of a command file is what follows the "]":
//   ./bin/MIOpenDriver conv -n 128 -c 3 -H 32 -W 32 -k 64 -y 3 -x 3 -p 1 -q 1 -m conv -g 1 -F 1 -t 1
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sources/tally.hpp"

namespace convprobe::sources {

/// True when `head` (a file's first few KiB) holds MIOpen command-log lines ("MIOpen(HIP): Command
/// [LogCmd...]" or "MIOpen: Command [...]", any prefix before it).
[[nodiscard]] bool looks_like_miopen_log(std::string_view head);

/// True when `head` is a file of MIOpenDriver command lines ("./bin/MIOpenDriver conv ...", "MIOpenDriver
/// convfp16 ...", one per line; blank lines and '#' comments aside). The last line may be cut off and is
/// not judged unless it is the only one.
[[nodiscard]] bool looks_like_miopen_driver_commands(std::string_view head);

/// Reads either kind a line at a time (convprobe capture feeds the program's stderr live; other lines are
/// ignored). Convolutions go to the tally labelled "<origin>:<line>": a [LogCmdConvolution] line is one run,
/// a [LogCmdFindConvolution] line and a command file's line add the problem without a run. Fusions and other
/// driver commands (bnorm, pool, ...) are counted as skipped by kind; a convolution line convprobe cannot
/// read (convint8, -m trans, a mixed layout, ...) is rejected with the parser's reason.
class MiopenLogReader {
 public:
  /// `origin`: the file name or "stderr".
  MiopenLogReader(std::string origin, Tally* tally);
  /// One line, without its '\n'; a trailing '\r' is tolerated.
  void feed_line(std::string_view line);
  /// Adds the warnings only the whole input can tell (no command lines at all; counts that may hold Find
  /// calls). Call once after the last line; later calls do nothing.
  void finish();

 private:
  void read_convolution(std::string_view function, std::string_view args, const std::string& where);

  std::string origin_;
  Tally* tally_;
  int64_t line_no_ = 0;
  int64_t commands_ = 0;
  bool saw_find_ = false;
  bool saw_wrw_run_without_solver_ = false;
  bool finished_ = false;
};

}  // namespace convprobe::sources
