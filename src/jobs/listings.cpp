#include "jobs/listings.hpp"

#include <fmt/core.h>

#include "exec/backend_registry.hpp"
#include "jobs/executor_factory.hpp"
#include "jobs/session.hpp"
#include "jobs/usage_error.hpp"

namespace convprobe {

std::vector<ProbedBackend> probe_backends(const std::vector<std::string>& names, bool in_process) {
  const std::vector<std::string> asked = names.empty() ? known_backends() : names;
  for (const auto& n : asked) {
    if (!is_known_backend(n))
      throw UsageError(
          fmt::format("--backend '{}' is not a backend; expected one of {}", n, known_backends_text(", ")));
  }
  std::vector<ProbedBackend> probed;
  for (const auto& name : asked) {
    ExecutorOptions e;
    e.backend = name;
    e.in_process = in_process;
    BackendInfo info = make_executor(e)->info();
    if (info.name.empty()) info.name = name;
    probed.push_back(ProbedBackend{name, std::move(info)});
  }
  return probed;
}

std::vector<Candidate> list_candidates(const Problem& problem, const CandidatesJobOptions& options) {
  SessionOptions session_options;
  session_options.executor.backend = options.backend;
  session_options.executor.in_process = options.in_process;
  Session session(std::move(session_options));
  std::vector<Candidate> selected;
  for (auto& c : session.executor().candidates(problem, options.trial)) {
    if (matches_any(options.patterns, c.id)) selected.push_back(std::move(c));
  }
  return selected;
}

}  // namespace convprobe
