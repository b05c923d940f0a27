#include "supervisor/cpu_wait.hpp"

#include <dirent.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace convprobe {

namespace {

std::string read_small_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) return {};
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<int64_t> numeric_entries(const std::string& dir) {
  std::vector<int64_t> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (const dirent* e = readdir(d)) {
    int64_t id = 0;
    const std::string_view name(e->d_name);
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (ec == std::errc() && end == name.data() + name.size()) out.push_back(id);
  }
  closedir(d);
  return out;
}

// A process tree is shallow (a worker and, at most, a compiler it started); the depth bound only guards
// against a pid reused while walking.
constexpr int kMaxTreeDepth = 8;

void add_process(pid_t pid, int depth, TaskWaits* out) {
  const std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  for (int64_t tid : numeric_entries(task_dir)) {
    const std::string base = task_dir + "/" + std::to_string(tid);
    uint64_t wait = 0;
    if (parse_schedstat_wait(read_small_file(base + "/schedstat"), &wait)) (*out)[tid] = wait;
    if (depth >= kMaxTreeDepth) continue;
    std::istringstream children(read_small_file(base + "/children"));
    for (int64_t child = 0; children >> child;) add_process(static_cast<pid_t>(child), depth + 1, out);
  }
}

}  // namespace

bool parse_schedstat_wait(const std::string& text, uint64_t* wait_ns) {
  std::istringstream in(text);
  uint64_t run = 0, wait = 0;
  if (!(in >> run >> wait)) return false;
  *wait_ns = wait;
  return true;
}

TaskWaits read_task_waits(pid_t root) {
  TaskWaits out;
  if (root > 0) add_process(root, 0, &out);
  return out;
}

double waited_ms(const TaskWaits& before, const TaskWaits& after) {
  uint64_t most = 0;
  for (const auto& [tid, wait] : after) {
    const auto it = before.find(tid);
    const uint64_t base = it == before.end() ? 0 : it->second;
    if (wait > base) most = std::max(most, wait - base);
  }
  return static_cast<double>(most) / 1e6;
}

double parse_pressure_some_avg10(const std::string& text) {
  std::istringstream in(text);
  std::string kind, field;
  if (!(in >> kind >> field) || kind != "some" || field.rfind("avg10=", 0) != 0) return -1;
  double value = -1;
  const std::string_view number = std::string_view(field).substr(6);
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  return ec == std::errc() && end == number.data() + number.size() ? value : -1;
}

SystemPressure read_system_pressure() {
  SystemPressure p;
  p.cpu = parse_pressure_some_avg10(read_small_file("/proc/pressure/cpu"));
  p.memory = parse_pressure_some_avg10(read_small_file("/proc/pressure/memory"));
  p.io = parse_pressure_some_avg10(read_small_file("/proc/pressure/io"));
  return p;
}

double SystemPressure::worst() const { return std::max({cpu, memory, io}); }

std::string SystemPressure::worst_name() const {
  if (cpu >= memory && cpu >= io) return "cpu";
  return memory >= io ? "memory" : "io";
}

}  // namespace convprobe
