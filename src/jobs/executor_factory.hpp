// Where a job's trials run: in this process (--in-process) or in supervised workers. The choice lives here,
// above both, because src/exec/ is the seam both implementations build on: a factory there would make the
// seam depend on its own implementations (docs/design.md, "Rooms").
#pragma once

#include <memory>

#include "exec/executor.hpp"

namespace convprobe {

/// make_in_process_executor or make_supervised_executor, by options.in_process.
[[nodiscard]] std::unique_ptr<Executor> make_executor(const ExecutorOptions& options);

}  // namespace convprobe
