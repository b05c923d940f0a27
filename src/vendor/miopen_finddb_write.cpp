#include "vendor/miopen_finddb_write.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>

#include "vendor/miopen_lock.hpp"

namespace convprobe::miopen {

namespace {

std::string errno_text() { return std::strerror(errno); }

/// The file's bytes and mode, or nullopt when there is no file.
struct OldFile {
  std::string bytes;
  mode_t mode = 0;
};

std::optional<OldFile> read_old_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw FindDbError(fmt::format("cannot read the find-db '{}': {}", path, errno_text()));
  }
  OldFile old;
  struct stat st {};
  if (::fstat(fd, &st) == 0) old.mode = st.st_mode & 07777;
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) old.bytes.append(buffer, static_cast<size_t>(n));
  const int error = errno;
  ::close(fd);
  if (n < 0) throw FindDbError(fmt::format("cannot read the find-db '{}': {}", path, std::strerror(error)));
  if (!S_ISREG(st.st_mode))
    throw FindDbError(fmt::format("'{}' is not a regular file; expected a find-db", path));
  return old;
}

/// A find-db is text: "key=value" lines. A NUL byte means something else (an SQLite perf-db *.udb, a kernel
/// cache *.ukdb) that must not be rewritten as text.
void check_is_text(const std::string& path, const std::string& bytes) {
  if (bytes.find('\0') == std::string::npos) return;
  const bool sqlite = bytes.starts_with("SQLite format 3");
  throw FindDbError(
      fmt::format("'{}' is not a text find-db ({}); expected MIOpen's *.ufdb.txt key=value lines", path,
                  sqlite ? "it is an SQLite database, e.g. a perf-db" : "it holds NUL bytes"));
}

/// The folder the file is in: created when missing, and writable (the temporary file goes there).
void check_folder(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const std::string dir = folder.empty() ? "." : folder.string();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw FindDbError(
        fmt::format("cannot create the find-db's folder '{}': {}", dir, ec ? ec.message() : "not a folder"));
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    throw FindDbError(fmt::format(
        "cannot write in the find-db's folder '{}': {}; expected a folder you can write", dir, errno_text()));
  }
}

void write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw FindDbError(fmt::format("cannot write '{}': {}", path, errno_text()));
    done += static_cast<size_t>(n);
  }
}

/// Create `path` (it must not exist), write `bytes`, flush them to disk. Removes the file on failure.
void write_new_file(const std::string& path, const std::string& bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw FindDbError(fmt::format("cannot create '{}': {}", path, errno_text()));
  try {
    if (mode != 0 && ::fchmod(fd, mode) != 0)
      throw FindDbError(fmt::format("cannot chmod '{}': {}", path, errno_text()));
    write_all(fd, bytes, path);
    if (::fsync(fd) != 0) throw FindDbError(fmt::format("cannot flush '{}' to disk: {}", path, errno_text()));
  } catch (...) {
    ::close(fd);
    ::unlink(path.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(path.c_str());
    throw FindDbError(fmt::format("cannot write '{}': {}", path, errno_text()));
  }
}

/// <path>.convprobe-backup-<stamp>, or with -2, -3, ... when that name is taken: never an existing file.
std::string write_backup(const std::string& path, const OldFile& old, const std::string& stamp) {
  const std::string base = path + ".convprobe-backup-" + stamp;
  for (int n = 1; n < 1000; ++n) {
    std::string name = n == 1 ? base : fmt::format("{}-{}", base, n);
    if (std::filesystem::exists(std::filesystem::symlink_status(name))) continue;
    write_new_file(name, old.bytes, old.mode);
    return name;
  }
  throw FindDbError(
      fmt::format("cannot find a free backup name for '{}' (999 backups named '{}*')", path, base));
}

/// Write the new content beside `path` and rename it over `path`; the folder entry is flushed too.
void replace_file(const std::string& path, const std::string& bytes, mode_t mode) {
  const std::string temp = fmt::format("{}.convprobe-tmp-{}", path, ::getpid());
  ::unlink(temp.c_str());  // a leftover of an earlier, killed run of this pid
  write_new_file(temp, bytes, mode);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(temp.c_str());
    throw FindDbError(fmt::format("cannot rename '{}' to '{}': {}", temp, path, why));
  }
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

FindDbWriteReport write_finddb(const std::string& path, const std::vector<FindDbRecord>& records,
                               FindDbFormat format, const FindDbWriteOptions& options) {
  std::vector<std::string> lines;
  lines.reserve(records.size());
  for (const auto& r : records) lines.push_back(finddb_line(r, format));
  FindDbWriteReport report;
  report.path = path;
  report.lock_path = lock_file_path(path, options.env);  // by MIOpen's spelling of the path
  // A find-db that is a symbolic link is updated where it points, so the link stays as the user made it.
  std::error_code ec;
  const std::string file =
      std::filesystem::is_symlink(path, ec) ? std::filesystem::weakly_canonical(path, ec).string() : path;
  std::optional<DbWriteLock> lock;
  if (!options.dry_run) {
    check_folder(file);
    lock.emplace(report.lock_path, options.lock_timeout);
  }
  const std::optional<OldFile> old = read_old_file(file);
  if (old) check_is_text(path, old->bytes);
  MergedFindDb merged = merge_finddb(old ? old->bytes : std::string(), lines);
  report.existed = old.has_value();
  report.changes = std::move(merged.changes);
  report.replaced = std::move(merged.replaced);
  report.kept_lines = merged.kept_lines;
  const bool unchanged = old ? merged.text == old->bytes : merged.text.empty();
  if (options.dry_run || unchanged) return report;
  const std::string stamp = options.backup_stamp.empty() ? utc_stamp() : options.backup_stamp;
  if (old) report.backup_path = write_backup(file, *old, stamp);
  replace_file(file, merged.text, old ? old->mode : 0);
  report.written = true;
  return report;
}

FindDbBackup backup_finddb(const std::string& path, const FindDbWriteOptions& options) {
  FindDbBackup backup;
  std::error_code ec;
  const std::string file =
      std::filesystem::is_symlink(path, ec) ? std::filesystem::weakly_canonical(path, ec).string() : path;
  check_folder(file);
  const DbWriteLock lock(lock_file_path(path, options.env), options.lock_timeout);
  const std::optional<OldFile> old = read_old_file(file);
  if (!old) return backup;
  check_is_text(path, old->bytes);
  backup.bytes = old->bytes;
  backup.path = write_backup(file, *old, options.backup_stamp.empty() ? utc_stamp() : options.backup_stamp);
  return backup;
}

}  // namespace convprobe::miopen
