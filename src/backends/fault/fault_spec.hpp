// Fault candidate ids and what each must produce. Header-only on purpose: the plugin injects the faults,
// and `convprobe selftest` (in the main binary, which never loads a plugin) checks the verdicts against the
// same table.
//
// Id grammar:  fault.<kind>[@<axis><op><value>]
//   kind   ok hang segv abort exit error wrong nan partial badtime slow oom garbage
//   axis   hw (max of H and W), h, w, c (input channels), k (output channels), n (batch), r (filter height):
//          the axes of problem/axis.hpp, the same names bisect walks
//   op     >  >=  <
// A thresholded fault misbehaves only when the problem satisfies the condition and behaves like `ok`
// otherwise: fault.hang@hw>42 hangs exactly on the sizes the gfx1010 report saw hang.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"
#include "problem/axis.hpp"

namespace convprobe::fault {

enum class Kind { ok, hang, segv, abort, exit, error, wrong, nan, partial, badtime, slow, oom, garbage };

struct KindInfo {
  Kind kind;
  std::string_view name;
  Verdict expected;  ///< the verdict the fault must produce when it fires
  bool ends_worker;  ///< the fault takes its worker down (a hang, a crash, a broken pipe)
  std::string_view what;
};

inline constexpr std::array<KindInfo, 13> kKinds{{
    {Kind::ok, "ok", Verdict::pass, false, "correct output, plain speed"},
    {Kind::hang, "hang", Verdict::hang, true, "spins forever in the run phase, ignoring SIGTERM"},
    {Kind::segv, "segv", Verdict::crash, true, "writes through a null pointer (SIGSEGV)"},
    {Kind::abort, "abort", Verdict::crash, true, "calls abort() (SIGABRT)"},
    {Kind::exit, "exit", Verdict::crash, true, "calls _exit(3) in the middle of the trial"},
    {Kind::error, "error", Verdict::failed, false, "returns FAULT_STATUS_EXECUTION_FAILED"},
    {Kind::wrong, "wrong", Verdict::mismatch, false, "silently wrong: 1% of the outputs off by 10%"},
    {Kind::nan, "nan", Verdict::mismatch, false, "1% of the outputs are NaN"},
    {Kind::partial, "partial", Verdict::mismatch, false, "leaves the second half of the output unwritten"},
    {Kind::badtime, "badtime", Verdict::failed, false, "correct, but reports an elapsed time of 0"},
    {Kind::slow, "slow", Verdict::pass, false, "correct, at least 10x slower than ok"},
    {Kind::oom, "oom", Verdict::oom, false, "allocation failure (std::bad_alloc)"},
    {Kind::garbage, "garbage", Verdict::crash, true, "writes junk bytes to the protocol pipe"},
}};

enum class Op { gt, ge, lt };

struct Threshold {
  Axis axis = Axis::hw;
  Op op = Op::gt;
  int64_t value = 0;
};

struct Spec {
  Kind kind = Kind::ok;
  std::optional<Threshold> threshold;
};

inline const KindInfo& info(Kind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];
}

/// Parses a candidate id. On failure *err names the id, the bad part and what was expected.
inline bool parse_id(std::string_view id, Spec* out, std::string* err) {
  const std::string quoted = "fault candidate '" + std::string(id) + "'";
  constexpr std::string_view kPrefix = "fault.";
  if (id.substr(0, kPrefix.size()) != kPrefix) {
    *err = quoted + ": expected an id starting with 'fault.'";
    return false;
  }
  std::string_view rest = id.substr(kPrefix.size());
  const size_t at = rest.find('@');
  const std::string_view kind_name = rest.substr(0, at);
  bool found = false;
  for (const auto& k : kKinds) {
    if (k.name == kind_name) {
      out->kind = k.kind;
      found = true;
    }
  }
  if (!found) {
    std::string names;
    for (const auto& k : kKinds) names += (names.empty() ? "" : ", ") + std::string(k.name);
    *err = quoted + ": unknown fault kind '" + std::string(kind_name) + "' (expected one of " + names + ")";
    return false;
  }
  out->threshold.reset();
  if (at == std::string_view::npos) return true;
  std::string_view cond = rest.substr(at + 1);
  size_t axis_len = 0;
  while (axis_len < cond.size() && cond[axis_len] >= 'a' && cond[axis_len] <= 'z') ++axis_len;
  Threshold t;
  found = false;
  for (const auto& [axis, name] : kAxisNames) {
    if (name == cond.substr(0, axis_len)) {
      t.axis = axis;
      found = true;
    }
  }
  if (!found) {
    *err = quoted + ": unknown axis '" + std::string(cond.substr(0, axis_len)) +
           "' (expected hw, h, w, c, k, n or r)";
    return false;
  }
  cond = cond.substr(axis_len);
  if (cond.substr(0, 2) == ">=") {
    t.op = Op::ge;
    cond = cond.substr(2);
  } else if (!cond.empty() && (cond[0] == '>' || cond[0] == '<')) {
    t.op = cond[0] == '>' ? Op::gt : Op::lt;
    cond = cond.substr(1);
  } else {
    *err = quoted + ": expected an operator '>', '>=' or '<' after the axis";
    return false;
  }
  const auto [ptr, ec] = std::from_chars(cond.data(), cond.data() + cond.size(), t.value);
  if (ec != std::errc() || ptr != cond.data() + cond.size() || cond.empty() || t.value < 0) {
    *err = quoted + ": threshold '" + std::string(cond) + "' is not a non-negative integer";
    return false;
  }
  out->threshold = t;
  return true;
}

/// True when the fault fires on this problem (always, without a threshold).
inline bool fires(const Spec& spec, const Problem& p) {
  if (!spec.threshold) return true;
  const int64_t v = axis_value(p, spec.threshold->axis);
  switch (spec.threshold->op) {
    case Op::gt:
      return v > spec.threshold->value;
    case Op::ge:
      return v >= spec.threshold->value;
    case Op::lt:
      return v < spec.threshold->value;
  }
  return false;
}

/// The verdict a correct supervisor must record for this candidate on this problem.
inline Verdict expected_verdict(const Spec& spec, const Problem& p) {
  return fires(spec, p) ? info(spec.kind).expected : Verdict::pass;
}

/// The ids `candidates()` lists, in listing order: every kind plain and with the default threshold @hw>42,
/// plus fault.segv@n>2. Faults that keep their worker come first, worker-ending ones last, so a problem's
/// inputs and reference are built once, not again after every lost worker (docs/supervisor.md).
inline std::vector<std::string> default_ids() {
  std::vector<std::string> keep, end_threshold, end_plain;
  for (const auto& k : kKinds) {
    if (!k.ends_worker) keep.push_back("fault." + std::string(k.name));
  }
  for (const auto& k : kKinds) {
    if (!k.ends_worker) keep.push_back("fault." + std::string(k.name) + "@hw>42");
  }
  keep.push_back("fault.segv@n>2");
  for (const auto& k : kKinds) {
    if (k.ends_worker) end_threshold.push_back("fault." + std::string(k.name) + "@hw>42");
  }
  for (const auto& k : kKinds) {
    if (k.ends_worker) end_plain.push_back("fault." + std::string(k.name));
  }
  keep.insert(keep.end(), end_threshold.begin(), end_threshold.end());
  keep.insert(keep.end(), end_plain.begin(), end_plain.end());
  return keep;
}

}  // namespace convprobe::fault
