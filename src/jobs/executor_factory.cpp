#include "jobs/executor_factory.hpp"

#include "supervisor/worker_env.hpp"

namespace convprobe {

std::unique_ptr<Executor> make_executor(const ExecutorOptions& options) {
  return options.in_process ? make_in_process_executor(options) : make_supervised_executor(options);
}

}  // namespace convprobe
