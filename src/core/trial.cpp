#include "convprobe/trial.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "base/text.hpp"

namespace convprobe {

namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 9> kVerdictNames{{
    {Verdict::untested, "UNTESTED"},
    {Verdict::pass, "PASS"},
    {Verdict::mismatch, "MISMATCH"},
    {Verdict::unsupported, "UNSUPPORTED"},
    {Verdict::failed, "FAILED"},
    {Verdict::crash, "CRASH"},
    {Verdict::hang, "HANG"},
    {Verdict::oom, "OOM"},
    {Verdict::skipped, "SKIPPED"},
}};

constexpr std::array<std::pair<Phase, std::string_view>, 5> kPhaseNames{{
    {Phase::setup, "setup"},
    {Phase::run, "run"},
    {Phase::verify, "verify"},
    {Phase::time, "time"},
    {Phase::done, "done"},
}};

}  // namespace

std::string_view to_string(Verdict v) {
  for (const auto& [verdict, name] : kVerdictNames) {
    if (verdict == v) return name;
  }
  return "UNTESTED";
}

std::string_view to_string(Phase p) {
  for (const auto& [phase, name] : kPhaseNames) {
    if (phase == p) return name;
  }
  return "setup";
}

bool verdict_from_string(std::string_view s, Verdict* out) {
  for (const auto& [verdict, name] : kVerdictNames) {
    if (iequals(name, s)) {
      *out = verdict;
      return true;
    }
  }
  return false;
}

bool phase_from_string(std::string_view s, Phase* out) {
  for (const auto& [phase, name] : kPhaseNames) {
    if (iequals(name, s)) {
      *out = phase;
      return true;
    }
  }
  return false;
}

bool is_failure(Verdict v) {
  switch (v) {
    case Verdict::hang:
    case Verdict::crash:
    case Verdict::mismatch:
    case Verdict::oom:
    case Verdict::failed:
    case Verdict::untested:
      return true;
    default:
      return false;
  }
}

Timing summarize_samples(std::vector<double> samples) {
  Timing t;
  t.samples_ms = samples;  // measurement order: a drift across the samples stays visible
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  t.repeats = static_cast<int>(n);
  t.min_ms = samples.front();
  t.max_ms = samples.back();
  t.median_ms = n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
  return t;
}

}  // namespace convprobe
