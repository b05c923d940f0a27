#include "jobs/torch_check.hpp"

#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/shell_quote.hpp"
#include "jobs/embedded_files.hpp"
#include "jobs/torch_check_summary.hpp"
#include "policy/text_safety.hpp"

namespace convprobe {

namespace {

/// A temp file with the given content; removed when the object goes away.
class TempFile {
 public:
  TempFile(const std::string& suffix, const std::string& content) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("convprobe_torch_XXXXXX" + suffix)).string();
    const int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for the torch check");
    close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Run a shell command, capturing stdout+stderr; returns the exit status (-1 if it could not run).
int capture(const std::string& command, std::string* output) {
  output->clear();
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  const auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

/// Why the check script cannot run `p` through torch.nn.functional, or empty.
std::string not_in_torch(const Problem& p) {
  if (!p.symmetric()) return "asymmetric padding (torch's convolutions pad the same on both sides)";
  if (p.spatial_dims == 1) return "a 1-D problem (the check runs conv2d and conv3d)";
  return {};
}

nlohmann::json problem_spec(const Problem& p) {
  const int first = 3 - p.spatial_dims;
  auto axes = [&](const std::array<int64_t, 3>& a) {
    return std::vector<int64_t>(a.begin() + first, a.end());
  };
  // On a GPU the fp64 reference runs there; on the CPU it costs about 1 ns per multiply-add with torch, so
  // beyond ~20 GFLOP only NaN/Inf is checked.
  return nlohmann::json{{"key", key(p)},
                        {"dir", std::string(to_string(p.dir))},
                        {"type", std::string(to_string(p.type))},
                        {"layout", std::string(to_string(p.layout))},
                        {"spatial_dims", p.spatial_dims},
                        {"g", p.g},
                        {"mb", p.mb},
                        {"ic", p.ic},
                        {"oc", p.oc},
                        {"in", axes(p.in)},
                        {"out", axes(p.out())},
                        {"kernel", axes(p.kernel)},
                        {"stride", axes(p.stride)},
                        {"pad", axes(p.pad_begin)},
                        {"dilation", axes(p.dilation)},
                        {"verify_on_cpu", p.flops() <= 2e10}};
}

/// One python3 process: `set` are exported, `unset` removed. Returns the document the script wrote to its
/// output file, or sets *error (with the last line the process printed).
nlohmann::json run_side(const std::string& script, const std::string& spec,
                        const std::map<std::string, std::string>& set,
                        const std::map<std::string, std::string>& unset, int timeout_s, std::string* error) {
  TempFile result_file(".json", "");
  std::string command = "env";
  for (const auto& [name, value] : unset)
    command.append(" -u ").append(name);  // names are validated [A-Za-z_][A-Za-z0-9_]*
  for (const auto& [name, value] : set) command += fmt::format(" {}", shell_quote(name + "=" + value));
  command += fmt::format(" timeout {} python3 {} {} {}", timeout_s, shell_quote(script), shell_quote(spec),
                         shell_quote(result_file.path()));
  std::string output;
  const int rc = capture(command, &output);
  if (rc == 0) {
    try {
      std::ifstream in(result_file.path());
      return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      *error = fmt::format("python3 wrote no readable result: {}", sanitize_comment(e.what(), 200));
      return {};
    }
  }
  *error = fmt::format("python3 exited {}: {}", rc, sanitize_comment(last_line(output), 300));
  return {};
}

/// Why the check cannot run here (no torch; a policy variable a shell cannot pass), or empty.
std::string skip_reason(const std::map<std::string, std::string>& policy_env) {
  std::string output;
  if (capture("python3 -c 'import torch'", &output) != 0) {
    return fmt::format(
        "torch not available: {}",
        sanitize_comment(last_line(output).empty() ? "python3 failed" : last_line(output), 200));
  }
  for (const auto& [name, value] : policy_env) {
    if (!valid_env_name(name) || !valid_env_value(value))
      return fmt::format("policy variable '{}' cannot be passed to python3", sanitize_comment(name));
  }
  return {};
}

/// Each side's two runs merged, or the first error it met (a side that never ran is null).
struct Sides {
  nlohmann::json with, without;
  std::string err_with, err_without;
};

/// Side order without, with, with, without: the mean of each side's two runs cancels a linear drift (clocks,
/// other tenants) between the processes. With an errata file, cudnn-frontend logs every check it makes to
/// `logs[i]` for the i-th "with" process: evidence that PyTorch read the file, and which plans it refused.
Sides run_sides(const std::string& script, const std::string& spec,
                const std::map<std::string, std::string>& policy_env, int timeout_s, const TempFile* logs) {
  Sides s;
  std::map<std::string, std::string> with_env = policy_env;
  const bool errata = policy_env.count("CUDNN_ERRATA_JSON_FILE") > 0;
  std::string err;
  const auto without1 = run_side(script, spec, {}, policy_env, timeout_s, &s.err_without);
  if (errata) {
    // insert_or_assign, not operator[] = "1": GCC 12 gives a false -Wrestrict for the latter at -O3.
    with_env.insert_or_assign("CUDNN_FRONTEND_LOG_INFO", std::string(1, '1'));
    with_env.insert_or_assign("CUDNN_FRONTEND_LOG_FILE", logs[0].path());
  }
  const auto with1 = run_side(script, spec, with_env, {}, timeout_s, &s.err_with);
  if (errata) with_env["CUDNN_FRONTEND_LOG_FILE"] = logs[1].path();
  const auto with2 = run_side(script, spec, with_env, {}, timeout_s, &err);
  if (s.err_with.empty()) s.err_with = err;
  err.clear();
  const auto without2 = run_side(script, spec, {}, policy_env, timeout_s, &err);
  if (s.err_without.empty()) s.err_without = err;
  s.with = with1.is_null() ? with2 : merge_runs(with1, with2);
  s.without = without1.is_null() ? without2 : merge_runs(without1, without2);
  return s;
}

/// What cudnn-frontend's logs say about the errata file, as a report field and a line.
void add_errata_logs(const TempFile* logs, TorchCheckResult* result) {
  result->report["errata_log"] = {errata_log_summary(logs[0].path()), errata_log_summary(logs[1].path())};
  const auto& first = result->report["errata_log"][0];
  result->lines.push_back(
      fmt::format("cudnn-frontend checked {} plan(s) against the errata file and blocked "
                  "{} distinct plan(s) (first process)",
                  first["plans_checked"].get<int64_t>(), first["plans_blocked"].size()));
}

}  // namespace

TorchCheckResult run_torch_check(const std::vector<Problem>& problems,
                                 const std::map<std::string, std::string>& policy_env, int timeout_s) {
  TorchCheckResult result;
  result.skipped_reason = skip_reason(policy_env);
  if (!result.skipped_reason.empty()) return result;
  nlohmann::json spec{{"problems", nlohmann::json::array()}};
  for (const auto& p : problems) {
    if (const std::string why = not_in_torch(p); !why.empty()) {
      result.lines.push_back(fmt::format("{}: not checked in PyTorch: {}", key(p), why));
      continue;
    }
    spec["problems"].push_back(problem_spec(p));
  }
  if (spec["problems"].empty()) {
    result.skipped_reason = "no problem PyTorch can express (see the lines above)";
    return result;
  }
  TempFile script(".py", std::string(embedded::torch_check_py()));
  TempFile spec_file(".json", spec.dump());
  const TempFile logs[2] = {TempFile(".log", ""), TempFile(".log", "")};

  const Sides sides = run_sides(script.path(), spec_file.path(), policy_env, timeout_s, logs);
  result.ran = true;
  result.report["with_policy"] =
      sides.with.is_null() ? nlohmann::json{{"error", sides.err_with}} : sides.with;
  result.report["without_policy"] =
      sides.without.is_null() ? nlohmann::json{{"error", sides.err_without}} : sides.without;
  if (policy_env.count("CUDNN_ERRATA_JSON_FILE") > 0) add_errata_logs(logs, &result);
  if (sides.with.is_null() || !sides.err_with.empty()) {
    result.lines.push_back("torch with the policy failed: " + sides.err_with);
    return result;
  }
  summarize_problems(sides.with, sides.without, &result);
  return result;
}

}  // namespace convprobe
