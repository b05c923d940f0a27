// The one mapping from whatever escapes a trial to its verdict, used by every place that catches: the shared
// phase skeleton (core/trial_phases.hpp, so the CPU and cuDNN runners) and the guard around every backend's
// run_trial (exec/guarded_trial.hpp, for the worker and --in-process alike). One rule, so the same fault
// gets the same verdict and detail wherever it is caught.
#pragma once

#include "convprobe/trial.hpp"

namespace convprobe {

/// Call inside a catch block: sets r->verdict and r->detail from the exception being handled.
///   TrialError        its verdict, its message
///   std::bad_alloc    OOM, "out of host memory (std::bad_alloc) in phase <r->phase>"
///   std::exception    FAILED, its message
///   anything else     FAILED, "unknown exception"
void verdict_from_exception(TrialResult* r);

}  // namespace convprobe
