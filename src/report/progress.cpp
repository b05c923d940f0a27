#include "report/progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cmath>

namespace convprobe {

namespace {

std::string format_duration(double seconds) {
  const long s = std::lround(seconds);
  return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace

Progress::Progress(Mode mode, size_t total, FILE* out) : mode_(mode), total_(total), out_(out) {}

Progress::Mode Progress::choose_mode(bool quiet, FILE* out) {
  if (quiet) return Mode::quiet;
  return isatty(fileno(out)) ? Mode::live : Mode::periodic;
}

void Progress::started(const std::string& problem, const std::string& candidate) {
  current_ = problem + " " + candidate;
  draw(false);
}

void Progress::finished(Verdict v) {
  ++counts_[v];
  ++finished_;
  draw(finished_ == total_);
}

std::string Progress::summary() const {
  std::string s = fmt::format("{}/{} trials", finished_, total_);
  for (const auto& [verdict, n] : counts_) s += fmt::format("  {} {}", to_string(verdict), n);
  return s;
}

void Progress::draw(bool force) {
  if (mode_ == Mode::quiet) return;
  const auto now = std::chrono::steady_clock::now();
  // A terminal line redraws often; a log gets a line every 10 s so CI logs stay readable.
  const auto interval =
      mode_ == Mode::live ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
  if (!force && now - last_draw_ < interval) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta =
      finished_ > 0 ? elapsed / static_cast<double>(finished_) * static_cast<double>(total_ - finished_) : 0;
  const size_t width = 20;
  const size_t filled = total_ > 0 ? finished_ * width / total_ : width;
  const std::string bar = std::string(filled, '#') + std::string(width - filled, '-');
  std::string line = fmt::format("[{}] {}  eta {}", bar, summary(), format_duration(eta));
  if (mode_ == Mode::live) {
    std::string tail = current_.size() > 60 ? current_.substr(0, 57) + "..." : current_;
    fmt::print(out_, "\r\033[K{}  {}", line, tail);
  } else {
    fmt::print(out_, "{}  elapsed {}\n", line, format_duration(elapsed));
  }
  std::fflush(out_);
}

void Progress::done() {
  if (mode_ == Mode::quiet) return;
  if (mode_ == Mode::live) fmt::print(out_, "\r\033[K");
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  fmt::print(out_, "{}  in {}\n", summary(), format_duration(elapsed));
  std::fflush(out_);
}

}  // namespace convprobe
