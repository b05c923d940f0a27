#include "jobs/torch_check.hpp"

#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string_view>

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

/// cudnn-frontend's errata log ("Verifying <tag>. Blocking." / "... Passed."): the plan tags PyTorch itself
/// refused because of the file, and how many plans it checked.
nlohmann::json errata_log_summary(const std::string& path) {
  std::ifstream in(path);
  std::set<std::string> blocked;
  int64_t checked = 0;
  std::string line;
  constexpr std::string_view kVerifying = "Verifying ";
  while (std::getline(in, line)) {
    const auto at = line.find(kVerifying);
    if (at == std::string::npos) continue;
    ++checked;
    const auto tag_start = at + kVerifying.size();
    const auto tag_end = line.find(". ", tag_start);
    if (tag_end != std::string::npos && line.find("Blocking", tag_end) != std::string::npos)
      blocked.insert(line.substr(tag_start, tag_end - tag_start));
  }
  return nlohmann::json{{"plans_checked", checked}, {"plans_blocked", blocked}};
}

/// The two runs of one side: their mean per problem (the A-B-B-A order cancels linear drift), correctness
/// from both (a problem is correct only if it was correct in both processes).
nlohmann::json merge_runs(const nlohmann::json& a, const nlohmann::json& b) {
  nlohmann::json out = a;
  if (b.is_null() || !b.contains("problems")) return out;
  for (size_t i = 0; i < out["problems"].size() && i < b["problems"].size(); ++i) {
    auto& p = out["problems"][i];
    const auto& q = b["problems"][i];
    if (q.contains("error") && !p.contains("error")) p["error"] = q["error"];
    p["correct"] = p.value("correct", false) && q.value("correct", false);
    if (p.contains("median_ms") && q.contains("median_ms")) {
      p["runs_ms"] = {p["median_ms"], q["median_ms"]};
      p["median_ms"] = 0.5 * (p["median_ms"].get<double>() + q["median_ms"].get<double>());
    }
    if (q.contains("rel_err")) p["rel_err"] = std::max(p.value("rel_err", 0.0), q["rel_err"].get<double>());
  }
  return out;
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
  TempFile script(".py", torch_check_script());
  TempFile spec_file(".json", spec.dump());

  // cudnn-frontend logs every errata check when asked: evidence that PyTorch read the file, and which of
  // its own plans it refused.
  std::map<std::string, std::string> with_env = policy_env;
  const bool errata = policy_env.count("CUDNN_ERRATA_JSON_FILE") > 0;
  TempFile log1(".log", ""), log2(".log", "");
  // Side order without, with, with, without: the mean of each side's two runs cancels a linear drift
  // (clocks, other tenants) between the processes.
  std::string err_with, err_without, err;
  const auto without1 = run_side(script.path(), spec_file.path(), {}, policy_env, timeout_s, &err_without);
  if (errata) {
    // insert_or_assign, not operator[] = "1": GCC 12 gives a false -Wrestrict for the latter at -O3.
    with_env.insert_or_assign("CUDNN_FRONTEND_LOG_INFO", std::string(1, '1'));
    with_env.insert_or_assign("CUDNN_FRONTEND_LOG_FILE", log1.path());
  }
  const auto with1 = run_side(script.path(), spec_file.path(), with_env, {}, timeout_s, &err_with);
  if (errata) with_env["CUDNN_FRONTEND_LOG_FILE"] = log2.path();
  const auto with2 = run_side(script.path(), spec_file.path(), with_env, {}, timeout_s, &err);
  if (err_with.empty()) err_with = err;
  err.clear();
  const auto without2 = run_side(script.path(), spec_file.path(), {}, policy_env, timeout_s, &err);
  if (err_without.empty()) err_without = err;
  const nlohmann::json with = with1.is_null() ? with2 : merge_runs(with1, with2);
  const nlohmann::json without = without1.is_null() ? without2 : merge_runs(without1, without2);
  result.ran = true;
  result.report["with_policy"] = with.is_null() ? nlohmann::json{{"error", err_with}} : with;
  result.report["without_policy"] = without.is_null() ? nlohmann::json{{"error", err_without}} : without;
  if (errata) {
    result.report["errata_log"] = {errata_log_summary(log1.path()), errata_log_summary(log2.path())};
    const auto& first = result.report["errata_log"][0];
    result.lines.push_back(
        fmt::format("cudnn-frontend checked {} plan(s) against the errata file and blocked "
                    "{} distinct plan(s) (first process)",
                    first["plans_checked"].get<int64_t>(), first["plans_blocked"].size()));
  }
  if (with.is_null() || !err_with.empty()) {
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
      line = fmt::format(
          "ok    {}: {:.4g} ms with the policy, {:.4g} ms without = {:.3f}x (rel_err {:.2g}, {}{})",
          w.value("problem", ""), t_with, t_without, t_with > 0 && t_without > 0 ? t_without / t_with : 0.0,
          w.value("rel_err", -1.0), w.value("timing", ""),
          wo.contains("error") || !wo.value("correct", true) ? "; WITHOUT the policy it failed" : "");
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
    const size_t slower3 = static_cast<size_t>(
        std::count_if(ratios.begin(), ratios.end(), [](double r) { return r < 1 / 1.03; }));
    result.report["slower"] = slower;
    result.report["slower_by_3pct"] = slower3;
    result.lines.push_back(
        fmt::format("median speedup with the policy {:.3f}x; {} of {} problem(s) slower ({} by more than 3%)",
                    median, slower, ratios.size(), slower3));
  }
  return result;
}

}  // namespace convprobe
