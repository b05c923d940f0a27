#include "vendor/miopen_lock.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <md5.h>  // Debian libmd: MIOpen names lock files after an MD5
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "vendor/miopen_finddb.hpp"

namespace convprobe::miopen {

namespace {

/// fcntl's description of the whole file, as boost's file_lock locks it.
struct flock whole_file(short type) {
  struct flock l {};
  l.l_type = type;
  l.l_whence = SEEK_SET;
  l.l_start = 0;
  l.l_len = 0;  // to the end of the file, however long
  l.l_pid = 0;  // required for open-file-description locks
  return l;
}

/// Create `dir` (one level) open to everyone, as MIOpen does; an existing one is left as it is.
void ensure_lock_folder(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0777) == 0) {
    ::chmod(dir.c_str(), 0777);  // past the umask, like fs::permissions(directory, all_all)
  } else if (errno != EEXIST) {
    throw FindDbError(fmt::format("cannot create MIOpen's lock folder '{}': {}", dir, std::strerror(errno)));
  }
}

/// MD5 of `text` as 32 lower-case hex digits, the spelling of MIOpen's md5() (src/md5.cpp).
std::string md5_hex(const std::string& text) {
  char hex[MD5_DIGEST_STRING_LENGTH] = {};
  MD5Data(reinterpret_cast<const uint8_t*>(text.data()), text.size(), hex);
  return hex;
}

}  // namespace

std::string temp_folder(const EnvLookup& env) {
  for (const char* name : {"TMPDIR", "TMP", "TEMP", "TEMPDIR"}) {
    if (auto v = env(name); v && !v->empty()) return *v;
  }
  return "/tmp";
}

std::string parent_path_string(const std::string& db_path) {
  const size_t slash = db_path.rfind('/');
  if (slash == std::string::npos) return {};
  std::string parent = db_path.substr(0, slash);
  while (parent.size() > 1 && parent.back() == '/') parent.pop_back();
  return parent.empty() ? "/" : parent;
}

std::string lock_file_path(const std::string& db_path, const EnvLookup& env) {
  const size_t slash = db_path.rfind('/');
  const std::string name = slash == std::string::npos ? db_path : db_path.substr(slash + 1);
  std::string temp = temp_folder(env);
  if (!temp.ends_with('/')) temp += '/';
  return fmt::format("{}miopen-lockfiles/{}_{}.lock", temp, md5_hex(parent_path_string(db_path)), name);
}

DbWriteLock::DbWriteLock(const std::string& lock_path, std::chrono::milliseconds timeout) {
  ensure_lock_folder(parent_path_string(lock_path));
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    throw FindDbError(
        fmt::format("cannot open MIOpen's lock file '{}': {}", lock_path, std::strerror(errno)));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    struct flock l = whole_file(F_WRLCK);
    if (::fcntl(fd_, F_OFD_SETLK, &l) == 0) return;
    const int error = errno;
    if ((error != EAGAIN && error != EACCES) || std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      fd_ = -1;
      throw FindDbError(
          error == EAGAIN || error == EACCES
              ? fmt::format("MIOpen's lock '{}' is still held after {} ms (a program using MIOpen is reading "
                            "or writing the find-db): try again when it has finished",
                            lock_path, timeout.count())
              : fmt::format("cannot lock '{}': {}", lock_path, std::strerror(error)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

DbWriteLock::~DbWriteLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the only descriptor of the description releases the lock
}

}  // namespace convprobe::miopen
