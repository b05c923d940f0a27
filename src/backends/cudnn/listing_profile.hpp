// CONVPROBE_CUDNN_PROFILE: where listing candidates spends its time, one line per problem with the time of
// each stage and the total. "1" prints to stderr (in-process runs); any other value is a file the line is
// appended to, because a supervised worker's stderr only reaches the supervisor as a crash detail.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "convprobe/problem.hpp"

namespace convprobe::cudnn {

class ListingProfile {
 public:
  ListingProfile() {
    const char* target = std::getenv("CONVPROBE_CUDNN_PROFILE");
    if (target != nullptr && *target != '\0') target_ = target;
    start_ = last_ = Clock::now();
  }

  [[nodiscard]] bool on() const { return !target_.empty(); }

  /// Ends the current stage: its time since the previous mark.
  void mark(const std::string& stage) {
    if (!on()) return;
    const auto now = Clock::now();
    text_ += (text_.empty() ? "" : ", ") + stage + " " + ms_text(now - last_);
    last_ = now;
  }

  /// Writes the line (stages and total since construction). Best effort: a profile never fails a listing.
  void print(const Problem& p) const {
    if (!on()) return;
    const std::string line =
        "cudnn listing " + to_string(p) + ": " + text_ + "; total " + ms_text(Clock::now() - start_) + "\n";
    if (target_ == "1") {
      std::fputs(line.c_str(), stderr);
      return;
    }
    if (std::FILE* f = std::fopen(target_.c_str(), "a")) {
      std::fputs(line.c_str(), f);
      std::fclose(f);
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  static std::string ms_text(Clock::duration d) {
    return std::to_string(std::chrono::duration<double, std::milli>(d).count()) + " ms";
  }
  std::string target_;
  Clock::time_point start_;
  Clock::time_point last_;
  std::string text_;
};

}  // namespace convprobe::cudnn
