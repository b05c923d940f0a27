#include "base/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace convprobe {

namespace {

bool fail(std::string* err, std::string_view what, const std::string& path) {
  *err = std::string(what) + " '" + path + "': " + std::strerror(errno);
  return false;
}

bool write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

/// The new file under a name of its own beside `path`, flushed to disk.
bool write_temporary(const std::string& temp, const std::string& bytes, std::string* err) {
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return fail(err, "cannot create", temp);
  const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (written && closed) return true;
  if (!written) errno = write_errno;
  fail(err, "cannot write", temp);
  ::unlink(temp.c_str());
  return false;
}

}  // namespace

bool read_file(const std::string& path, std::string* bytes, std::string* err) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(err, "cannot read", path);
  bytes->clear();
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fail(err, "cannot read", path);
      ::close(fd);
      return false;
    }
    bytes->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

bool write_file_atomically(const std::string& path, const std::string& bytes, std::string* err) {
  const std::string temp = path + ".convprobe-tmp-" + std::to_string(::getpid());
  if (!write_temporary(temp, bytes, err)) return false;
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    fail(err, "cannot replace", path);
    ::unlink(temp.c_str());
    return false;
  }
  // The rename itself survives a crash only once the folder is flushed too.
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

}  // namespace convprobe
