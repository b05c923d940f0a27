#include "policy/torch_check.hpp"

#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/shell_quote.hpp"
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

nlohmann::json problem_spec(const Problem& p) {
  const int first = p.spatial_dims == 3 ? 0 : 1;
  auto axes = [&](const std::array<int64_t, 3>& a) {
    return std::vector<int64_t>(a.begin() + first, a.end());
  };
  // fp64 on the CPU costs about 1 ns per multiply-add with torch; beyond ~20 GFLOP only NaN/Inf is checked.
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
                        {"pad", axes(p.pad)},
                        {"dilation", axes(p.dilation)},
                        {"verify", p.flops() <= 2e10}};
}

/// One python3 process: `set` are exported, `unset` removed. Returns the parsed document or sets *error.
nlohmann::json run_side(const std::string& script, const std::string& spec,
                        const std::map<std::string, std::string>& set,
                        const std::map<std::string, std::string>& unset, int timeout_s, std::string* error) {
  std::string command = "env";
  for (const auto& [name, value] : unset)
    command += " -u " + name;  // names are validated [A-Za-z_][A-Za-z0-9_]*
  for (const auto& [name, value] : set) command += fmt::format(" {}", shell_quote(name + "=" + value));
  command += fmt::format(" timeout {} python3 {} {}", timeout_s, shell_quote(script), shell_quote(spec));
  std::string output;
  const int rc = capture(command, &output);
  try {
    if (rc == 0) return nlohmann::json::parse(last_line(output));
  } catch (const nlohmann::json::exception&) {
  }
  *error = fmt::format("python3 exited {}: {}", rc, sanitize_comment(last_line(output), 300));
  return {};
}

}  // namespace

TorchCheckResult run_torch_check(const std::vector<Problem>& problems,
                                 const std::map<std::string, std::string>& policy_env, int timeout_s) {
  TorchCheckResult result;
  std::string output;
  if (capture("python3 -c 'import torch'", &output) != 0) {
    result.skipped_reason =
        fmt::format("torch not available: {}",
                    sanitize_comment(last_line(output).empty() ? "python3 failed" : last_line(output), 200));
    return result;
  }
  for (const auto& [name, value] : policy_env) {
    if (!valid_env_name(name) || !valid_env_value(value)) {
      result.skipped_reason =
          fmt::format("policy variable '{}' cannot be passed to python3", sanitize_comment(name));
      return result;
    }
  }
  nlohmann::json spec{{"problems", nlohmann::json::array()}};
  for (const auto& p : problems) spec["problems"].push_back(problem_spec(p));
  TempFile script(".py", torch_check_script());
  TempFile spec_file(".json", spec.dump());

  std::string err_with, err_without;
  const auto with = run_side(script.path(), spec_file.path(), policy_env, {}, timeout_s, &err_with);
  const auto without = run_side(script.path(), spec_file.path(), {}, policy_env, timeout_s, &err_without);
  result.ran = true;
  result.report["with_policy"] = with.is_null() ? nlohmann::json{{"error", err_with}} : with;
  result.report["without_policy"] = without.is_null() ? nlohmann::json{{"error", err_without}} : without;
  if (with.is_null()) {
    result.lines.push_back("torch with the policy failed: " + err_with);
    return result;
  }

  result.ok = true;
  std::vector<double> ratios;
  result.report["problems"] = nlohmann::json::array();
  for (size_t i = 0; i < with["problems"].size(); ++i) {
    const auto& w = with["problems"][i];
    const nlohmann::json wo = (!without.is_null() && i < without["problems"].size())
                                  ? without["problems"][i]
                                  : nlohmann::json::object();
    nlohmann::json row{{"problem", w.value("problem", "")}, {"with", w}, {"without", wo}};
    std::string line;
    if (w.contains("error") || !w.value("correct", false)) {
      result.ok = false;
      line = fmt::format("FAIL  {}: {}", w.value("problem", ""),
                         w.contains("error") ? w["error"].get<std::string>()
                                             : fmt::format("rel_err {}", w.value("rel_err", -1.0)));
    } else {
      const double t_with = w.value("median_ms", 0.0);
      const double t_without = wo.value("median_ms", 0.0);
      if (t_with > 0 && t_without > 0) {
        ratios.push_back(t_without / t_with);
        row["speedup"] = t_without / t_with;
      }
      line = fmt::format("ok    {}: {:.4g} ms with the policy, {:.4g} ms without ({})",
                         w.value("problem", ""), t_with, t_without, w.value("timing", ""));
    }
    result.report["problems"].push_back(row);
    result.lines.push_back(line);
  }
  if (!ratios.empty()) {
    std::sort(ratios.begin(), ratios.end());
    const double median = ratios[ratios.size() / 2];
    const size_t slower =
        static_cast<size_t>(std::count_if(ratios.begin(), ratios.end(), [](double r) { return r < 1; }));
    result.report["median_speedup"] = median;
    result.lines.push_back(
        fmt::format("torch: median speedup with the policy {:.3f}x; {} of {} problem(s) slower", median,
                    slower, ratios.size()));
  }
  return result;
}

}  // namespace convprobe
