// Batch files on disk: benchdnn looks for --batch=NAME next to the files it has read (common.cpp
// locate_file); convprobe looks next to the file that includes it, then next to the first file, and never in
// the current directory, so a read does not depend on where convprobe was started.
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "base/text.hpp"
#include "sources/benchdnn_batch.hpp"

namespace convprobe::sources {

namespace {

namespace fs = std::filesystem;

/// Every byte of the file, or false with *why (the system's reason).
bool read_text_file(const std::string& path, std::string* text, std::string* why) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  text->clear();
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      *why = std::strerror(errno);
      ::close(fd);
      return false;
    }
    text->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

BatchLoader file_loader(const std::string& top) {
  const fs::path top_dir = fs::path(top).parent_path();
  return [top_dir](const std::string& name, const std::string& from, std::string* text, std::string* origin,
                   std::string* err) {
    std::vector<fs::path> places;
    if (fs::path(name).is_absolute()) {
      places.push_back(name);
    } else {
      places.push_back(fs::path(from).parent_path() / name);
      if (places.back().lexically_normal() != (top_dir / name).lexically_normal())
        places.push_back(top_dir / name);
    }
    std::vector<std::string> tried;
    for (const fs::path& place : places) {
      const std::string path = place.lexically_normal().string();
      std::string why;
      if (read_text_file(path, text, &why)) {
        *origin = path;
        return true;
      }
      tried.push_back(fmt::format("{}: {}", path, why));
    }
    *err = "cannot read it (" + join(tried, "; ") + ")";
    return false;
  };
}

}  // namespace

bool read_benchdnn_batch(const std::string& path, Tally* tally, std::string* err) {
  std::string text, why;
  if (!read_text_file(path, &text, &why)) {
    *err = fmt::format("cannot read benchdnn batch file \"{}\": {}", path, why);
    return false;
  }
  // One spelling per file, so that a file reached again by another path is seen as the same (cycles).
  const std::string origin = fs::path(path).lexically_normal().string();
  return read_benchdnn_batch_text(text, origin, file_loader(origin), tally, err);
}

}  // namespace convprobe::sources
