// How long a worker was kept off the CPU while it was ready to run: the watchdog's evidence that a silent
// worker is starved by a busy machine rather than hung (docs/supervisor.md, "Watchdog under load").
//
// Linux keeps, per task, the time it spent runnable on a run queue waiting for a CPU
// (/proc/PID/task/TID/schedstat, second field, in ns; present whenever the kernel has CONFIG_SCHED_INFO,
// as every distribution kernel does). A worker hung in a spin loop or in a wait that never ends keeps
// accumulating run time or sleep, not run-queue time; a worker starved by other processes accumulates
// run-queue time. The system-wide pressure figures (/proc/pressure/{cpu,memory,io}, PSI) say whether the
// machine as a whole is short of CPU, memory or I/O.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

namespace convprobe {

/// Run-queue delay in ns of every task (thread) of a process and of its descendants, keyed by task id.
using TaskWaits = std::map<int64_t, uint64_t>;

/// Reads the run-queue delays of `root`'s threads and, recursively, of its child processes' threads.
/// Empty when the process is gone or the kernel does not expose schedstat.
[[nodiscard]] TaskWaits read_task_waits(pid_t root);

/// Milliseconds the process tree waited for a CPU between two readings: the largest increase of any one
/// task (tasks absent from `before` count from zero). The largest, not the sum: threads wait in parallel,
/// and one starved thread holds up a phase as much as all of them.
[[nodiscard]] double waited_ms(const TaskWaits& before, const TaskWaits& after);

/// Share of the last 10 s in which some runnable task of the machine was stalled for lack of CPU, memory or
/// I/O (PSI "some avg10", in percent, the largest of the three); negative when the kernel has no PSI.
struct SystemPressure {
  double cpu = -1, memory = -1, io = -1;
  [[nodiscard]] double worst() const;
  [[nodiscard]] std::string worst_name() const;  ///< "cpu", "memory" or "io"
};
[[nodiscard]] SystemPressure read_system_pressure();

/// Parses one PSI file's text ("some avg10=1.79 avg60=... total=...\nfull ..."): its "some avg10", or -1.
[[nodiscard]] double parse_pressure_some_avg10(const std::string& text);
/// Parses a schedstat line ("run_ns wait_ns timeslices"): the wait, or false when malformed.
[[nodiscard]] bool parse_schedstat_wait(const std::string& text, uint64_t* wait_ns);

}  // namespace convprobe
