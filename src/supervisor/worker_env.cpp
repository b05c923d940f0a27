#include "supervisor/worker_env.hpp"

#include <fmt/core.h>

#include <cctype>
#include <vector>

#include "base/text.hpp"
#include "supervisor/supervised_executor.hpp"

namespace convprobe {

namespace {

class EnvPartitionedExecutor final : public Executor {
 public:
  explicit EnvPartitionedExecutor(ExecutorOptions options)
      : options_(std::move(options)), base_(std::make_unique<SupervisedExecutor>(options_)) {}

  BackendInfo info() override { return base_->info(); }

  std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& options) override {
    return base_->candidates(problem, options);
  }

  void run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
           const ResultCallback& on_result, const StartCallback& on_start) override {
    // Partition by the attribute's text, keeping the order of first appearance.
    std::vector<std::string> keys;
    std::map<std::string, std::vector<TrialRequest>> groups;
    for (const auto& r : requests) {
      auto it = r.candidate.attrs.find(kWorkerEnvAttr);
      const std::string k = it == r.candidate.attrs.end() ? std::string() : it->second;
      if (groups.find(k) == groups.end()) keys.push_back(k);
      groups[k].push_back(r);
    }
    for (const auto& k : keys) {
      if (k.empty()) {
        base_->run(groups[k], options, on_result, on_start);
        continue;
      }
      std::map<std::string, std::string> env;
      std::string err;
      if (!parse_worker_env(k, &env, &err)) {
        for (const auto& r : groups[k]) {
          TrialResult bad;
          bad.verdict = Verdict::failed;
          bad.detail = "candidate's worker_env is malformed: " + err;
          bad.attempt = r.attempt;
          if (on_start) on_start(r);
          on_result(r, bad);
        }
        continue;
      }
      ExecutorOptions forced = options_;
      for (const auto& [name, value] : env) forced.env[name] = value;
      SupervisedExecutor executor(forced);
      executor.run(groups[k], options, on_result, on_start);
    }
  }

 private:
  ExecutorOptions options_;
  std::unique_ptr<SupervisedExecutor> base_;
};

}  // namespace

bool parse_worker_env(const std::string& text, std::map<std::string, std::string>* out, std::string* err) {
  for (std::string_view piece : split_list(text, '\n')) {
    const std::string line(piece);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    const std::string name = eq == std::string::npos ? line : line.substr(0, eq);
    if (eq == std::string::npos || !valid_env_name(name)) {
      *err = fmt::format("'{}' is not NAME=VALUE with NAME made of letters, digits and '_'", line);
      return false;
    }
    (*out)[name] = line.substr(eq + 1);
  }
  return true;
}

std::unique_ptr<Executor> make_supervised_executor(const ExecutorOptions& options) {
  return std::make_unique<EnvPartitionedExecutor>(options);
}

}  // namespace convprobe
