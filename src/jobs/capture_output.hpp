// What a capture found, and how it is handed to the user: the problems file (whole or not at all), the
// --json summary, and a few lines on stderr saying how the program ended and what was captured.
#pragma once

#include <string>

#include "jobs/capture.hpp"
#include "sources/tally.hpp"

namespace convprobe {

struct CaptureResult {
  sources::Tally tally;
  std::string what_ran;    ///< "python3 train.py", or the recorder's model and input
  int wait_status = 0;     ///< the program's, as waitpid() gave it
  std::string stopped_by;  ///< why convprobe stopped it, or empty when it ended by itself
  double seconds = 0;
};

/// Throws UsageError naming the option when the options contradict each other or a value is out of range.
void check_capture_options(const CaptureOptions& o);
/// The recorder (python3 -m convprobe_torch) on the meta device, its JSON read back (jobs/capture_torch.cpp).
[[nodiscard]] CaptureResult capture_with_torch_recorder(const CaptureOptions& o);
/// Writes the outputs and returns capture's exit status (see run_capture).
int finish_capture(const CaptureOptions& o, const CaptureResult& result);

}  // namespace convprobe
