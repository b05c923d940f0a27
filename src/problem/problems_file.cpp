// Problems files: one descriptor or MIOpenDriver line per line, '#' comments, blank lines ignored.
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

bool read_whole_file(const std::string& path, std::string* text, std::string* err) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = fmt::format("cannot read problems file \"{}\": {}", path, std::strerror(errno));
    return false;
  }
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = fmt::format("cannot read problems file \"{}\": {}", path, std::strerror(errno));
      ::close(fd);
      return false;
    }
    text->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
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
    if (!parse_problem(line, &p, &why)) {
      *err = fmt::format("{}:{}: {}", origin, line_no, why);
      return false;
    }
    problems.push_back(std::move(p));
  }
  out->insert(out->end(), std::make_move_iterator(problems.begin()), std::make_move_iterator(problems.end()));
  return true;
}

bool parse_problems_file(const std::string& path, std::vector<Problem>* out, std::string* err) {
  std::string text;
  if (!read_whole_file(path, &text, err)) return false;
  return parse_problems_text(text, path, out, err);
}

}  // namespace convprobe
