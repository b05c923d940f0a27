#include "policy/profile_text.hpp"

#include <fmt/core.h>

#include "core/shell_quote.hpp"
#include "policy/text_safety.hpp"

namespace convprobe {

std::string profile_header(const std::string& what, const Policy& policy) {
  std::string runs;
  for (int64_t r : policy.runs) runs += fmt::format("{}{}", runs.empty() ? "" : ",", r);
  std::string out;
  out += fmt::format("# {} policy written by convprobe from stored verdicts.\n", what);
  out += fmt::format("# {}\n",
                     sanitize_comment(fmt::format("backend: {} {}; runs: {}", policy.backend,
                                                  policy.backend_version, runs.empty() ? "none" : runs)));
  out += "# Source it from a POSIX shell (sh, bash, zsh); `convprobe verify --policy FILE` re-tests it.\n\n";
  return out;
}

std::string evidence_comment(const std::string& subject, const std::vector<Evidence>& evidence,
                             size_t max_items) {
  std::string text = subject + ": ";
  for (size_t i = 0; i < evidence.size() && i < max_items; ++i) {
    const auto& e = evidence[i];
    if (i) text += "; ";
    text += fmt::format("{} {}", e.problem, to_string(e.verdict));
    if (!e.detail.empty()) text += fmt::format(" {}", sanitize_comment(e.detail, 80));
    text += fmt::format(" (run {})", e.run_id);
  }
  if (evidence.size() > max_items) text += fmt::format("; and {} more", evidence.size() - max_items);
  return fmt::format("# {}\n", sanitize_comment(text, 400));
}

std::string install_step(const std::string& output_path, const std::string& installed_name) {
  const std::string target = "/etc/profile.d/" + installed_name;
  if (output_path.empty()) {
    return fmt::format(
        "to install system-wide, save this output to a file and run: sudo install -m 0644 FILE {}", target);
  }
  return fmt::format("to install system-wide (not done by convprobe): sudo install -m 0644 {} {}",
                     shell_quote(output_path), target);
}

}  // namespace convprobe
