// Pieces shared by the shell-profile emitters (miopen-env, onednn-env): the header that says where the file
// came from, an evidence comment, and the /etc/profile.d/ install step (printed, never performed).
#pragma once

#include <string>
#include <vector>

#include "policy/policy_model.hpp"

namespace convprobe {

/// A decision's reason as data: what it is about (a candidate id, with a remark) and the stored trials that
/// justify it. Rendered as one evidence comment.
struct Citation {
  std::string subject;
  std::vector<Evidence> evidence;
};

/// "# ..." header lines, ending with a blank line. `what` names the library, e.g. "MIOpen".
[[nodiscard]] std::string profile_header(const std::string& what, const Policy& policy);

/// One comment line citing at most `max_items` pieces of evidence: "problem: VERDICT detail (run N); ...".
[[nodiscard]] std::string evidence_comment(const std::string& subject, const std::vector<Evidence>& evidence,
                                           size_t max_items = 2);
[[nodiscard]] inline std::string evidence_comment(const Citation& citation) {
  return evidence_comment(citation.subject, citation.evidence);
}

/// How to install the profile system-wide (a sentence plus the command, shell-quoted).
[[nodiscard]] std::string install_step(const std::string& output_path, const std::string& installed_name);

}  // namespace convprobe
