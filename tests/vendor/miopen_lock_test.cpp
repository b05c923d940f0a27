// MIOpen's lock file name and lock (vendor/miopen_lock.hpp): the name MIOpen derives (lock_file.cpp), and a
// lock held the way boost::interprocess::file_lock holds it (a process-owned fcntl lock) keeps convprobe out.
#include "vendor/miopen_lock.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "support/run_command.hpp"
#include "vendor/miopen_finddb.hpp"

namespace convprobe::miopen {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

TEST(MiopenLock, NameIsMd5OfTheParentPathThenTheFileName) {
  const std::string db = "/h/.config/miopen//gfx1010_18.HIP.2_17_0_x.ufdb.txt";  // as 5.2 spells it
  EXPECT_EQ(parent_path_string(db), "/h/.config/miopen");
  EXPECT_EQ(
      lock_file_path(db, env_of({{"TMPDIR", "/var/tmp"}})),
      "/var/tmp/miopen-lockfiles/4f7714ccc157df5fb380a26031f37544_gfx1010_18.HIP.2_17_0_x.ufdb.txt.lock");
  // 4f77…: `printf %s /h/.config/miopen | md5sum`
  // develop spells the same file with one slash (fs::path operator/): the same lock.
  EXPECT_EQ(
      lock_file_path("/h/.config/miopen/gfx1010_18.HIP.2_17_0_x.ufdb.txt", env_of({{"TMPDIR", "/var/tmp"}})),
      lock_file_path(db, env_of({{"TMPDIR", "/var/tmp/"}})));
  EXPECT_EQ(parent_path_string("/x.ufdb.txt"), "/");
}

TEST(MiopenLock, TempFolderFollowsFilesystemsOrder) {
  EXPECT_EQ(temp_folder(env_of({})), "/tmp");
  EXPECT_EQ(temp_folder(env_of({{"TEMP", "/c"}, {"TMP", "/b"}})), "/b");
  EXPECT_EQ(temp_folder(env_of({{"TEMPDIR", "/d"}, {"TMPDIR", "/a"}, {"TMP", "/b"}})), "/a");
}

/// A child process holding an fcntl write lock on `path` as boost's file_lock does, until killed.
pid_t hold_lock_in_child(const std::string& path) {
  int ready[2];
  EXPECT_EQ(::pipe(ready), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0666);
    struct flock l {};
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    const char ok = fd >= 0 && ::fcntl(fd, F_SETLK, &l) == 0 ? '1' : '0';
    (void)!::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  char ok = '0';
  EXPECT_EQ(::read(ready[0], &ok, 1), 1);
  EXPECT_EQ(ok, '1');
  ::close(ready[0]);
  ::close(ready[1]);
  return pid;
}

void stop_child(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

TEST(MiopenLock, WaitsForAMiopenProcessThenTimesOut) {
  const auto dir = test::temp_dir("miopen-lock");
  const std::string lock = (dir / "miopen-lockfiles" / "x_y.ufdb.txt.lock").string();
  { DbWriteLock free_lock(lock, std::chrono::milliseconds(100)); }  // creates the folder and file
  const pid_t holder = hold_lock_in_child(lock);
  try {
    DbWriteLock blocked(lock, std::chrono::milliseconds(150));
    ADD_FAILURE() << "took a lock another process holds";
  } catch (const FindDbError& e) {
    EXPECT_NE(std::string(e.what()).find("is still held after 150 ms"), std::string::npos) << e.what();
  }
  stop_child(holder);
  DbWriteLock again(lock, std::chrono::milliseconds(100));  // released with the process
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace convprobe::miopen
