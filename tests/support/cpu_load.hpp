// A busy machine for tests that must hold under load: busy processes that keep every CPU of this process's
// affinity set saturated while the object lives. Each also ends itself after `max_seconds` (SIGALRM), so
// none outlives a test that crashed before the destructor ran.
#pragma once

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace convprobe::test {

class CpuLoad {
 public:
  explicit CpuLoad(int processes_per_cpu = 1, unsigned max_seconds = 900) {
    cpu_set_t set;
    CPU_ZERO(&set);
    const int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    for (int i = 0; i < cpus * processes_per_cpu; ++i) {
      const pid_t pid = fork();
      if (pid == 0) {
        alarm(max_seconds);
        volatile unsigned long spins = 0;
        for (;;) spins = spins + 1;
      }
      if (pid > 0) busy_.push_back(pid);
    }
  }
  ~CpuLoad() {
    for (pid_t pid : busy_) kill(pid, SIGKILL);
    for (pid_t pid : busy_) waitpid(pid, nullptr, 0);
  }
  CpuLoad(const CpuLoad&) = delete;
  CpuLoad& operator=(const CpuLoad&) = delete;

  [[nodiscard]] size_t processes() const { return busy_.size(); }

 private:
  std::vector<pid_t> busy_;
};

}  // namespace convprobe::test
