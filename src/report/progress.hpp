// Progress of a long sweep: a live line on a terminal (counts per verdict, current problem and candidate,
// ETA), plain periodic lines otherwise, nothing at all when quiet (e.g. `--json -`).
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "convprobe/trial.hpp"

namespace convprobe {

class Progress {
 public:
  enum class Mode { quiet, live, periodic };
  Progress(Mode mode, size_t total, FILE* out = stderr);
  /// Terminal if `out` is a TTY, periodic otherwise, quiet when `quiet`.
  static Mode choose_mode(bool quiet, FILE* out = stderr);

  void started(const std::string& problem, const std::string& candidate);
  void finished(Verdict v);
  /// Clear the live line and print a final summary line.
  void done();
  [[nodiscard]] const std::map<Verdict, size_t>& counts() const { return counts_; }
  [[nodiscard]] std::string summary() const;

 private:
  void draw(bool force);
  Mode mode_;
  size_t total_;
  size_t finished_ = 0;
  FILE* out_;
  std::map<Verdict, size_t> counts_;
  std::string current_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace convprobe
