// Problems files: one descriptor or MIOpenDriver line per line, '#' comments, blank lines ignored.
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "base/files.hpp"
#include "base/text.hpp"
#include "convprobe/problem.hpp"

namespace convprobe {

namespace {

/// The line without its comment. A '#' inside a quoted label (n"...#...") is text, not a comment.
std::string_view strip_comment(std::string_view line) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == '#' && !quoted) return line.substr(0, i);
  }
  return line;
}

/// A line's "48x " prefix (how often a captured program ran the problem, docs/problems.md "Counts"), removed
/// from *line. Descriptors never start with a digit, so a leading number can only be this prefix.
bool take_runs_prefix(std::string_view* line, int64_t* runs, std::string* err) {
  size_t digits = 0;
  while (digits < line->size() && std::isdigit(static_cast<unsigned char>((*line)[digits]))) ++digits;
  if (digits == 0) return true;
  const bool well_formed = digits < line->size() && (*line)[digits] == 'x' && digits + 1 < line->size() &&
                           ((*line)[digits + 1] == ' ' || (*line)[digits + 1] == '\t');
  int64_t n = 0;
  if (!well_formed || digits > 15 ||
      std::from_chars(line->data(), line->data() + digits, n).ec != std::errc{} || n < 1) {
    *err = fmt::format(
        "run count \"{}\": expected a count like \"48x \" (a positive integer, 'x', a space) "
        "before the descriptor",
        line->substr(0, std::min(line->size(), digits + 2)));
    return false;
  }
  *runs = n;
  *line = trim(line->substr(digits + 2));
  return true;
}

}  // namespace

bool parse_problems_text(std::string_view text, const std::string& origin, std::vector<Problem>* out,
                         std::string* err) {
  std::vector<Problem> problems;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t nl = text.find('\n', pos);
    const size_t end = nl == std::string_view::npos ? text.size() : nl;
    const std::string_view line = trim(strip_comment(text.substr(pos, end - pos)));
    ++line_no;
    pos = end + 1;
    if (line.empty()) continue;
    Problem p;
    std::string why;
    int64_t runs = 0;
    std::string_view descriptor = line;
    if (!take_runs_prefix(&descriptor, &runs, &why) || !parse_problem(descriptor, &p, &why)) {
      *err = fmt::format("{}:{}: {}", origin, line_no, why);
      return false;
    }
    p.runs = runs;
    problems.push_back(std::move(p));
  }
  out->insert(out->end(), std::make_move_iterator(problems.begin()), std::make_move_iterator(problems.end()));
  return true;
}

bool parse_problems_file(const std::string& path, std::vector<Problem>* out, std::string* err) {
  std::string text;
  if (!read_file(path, &text, err)) {
    *err = "problems file: " + *err;
    return false;
  }
  return parse_problems_text(text, path, out, err);
}

}  // namespace convprobe
