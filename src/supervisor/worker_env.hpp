// Candidates that need their own worker environment. MIOpen reads MIOPEN_DEBUG_FIND_ONLY_SOLVER once, when it
// loads, so forcing one solver takes a fresh process started with the variable set: such a candidate carries
// attrs["worker_env"] = "NAME=VALUE" (several separated by newlines), and its trials run in workers of their
// own.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "exec/executor.hpp"

namespace convprobe {

inline constexpr const char* kWorkerEnvAttr = "worker_env";

/// Parse a worker_env attribute. False with *err when a line is not NAME=VALUE with a valid NAME.
bool parse_worker_env(const std::string& text, std::map<std::string, std::string>* out, std::string* err);

/// Runs every trial in watched worker processes: requests whose candidates carry worker_env run, group by
/// group, in executors whose workers start with that environment; the rest run in the ordinary workers.
[[nodiscard]] std::unique_ptr<Executor> make_supervised_executor(const ExecutorOptions& options);

}  // namespace convprobe
