#include "core/json_io.hpp"

#include <fmt/core.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace convprobe {

using nlohmann::json;

namespace {

// Non-finite numbers have no JSON form; they are written as null and read back as the "not computed" value.
json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

double number_or(const json& j, const char* key, double fallback) {
  auto it = j.find(key);
  return (it != j.end() && it->is_number()) ? it->get<double>() : fallback;
}

template <typename T>
T value_or(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (auto v = integer_of<T>(*it)) return *v;
    throw std::invalid_argument(fmt::format("\"{}\" is {}; expected an integer from {} to {}", key,
                                            it->dump(), std::numeric_limits<T>::min(),
                                            std::numeric_limits<T>::max()));
  } else {
    return it->get<T>();
  }
}

}  // namespace

json to_json(const Candidate& c) {
  json j{{"id", c.id}, {"family", c.family}, {"notes", c.notes}};
  j["attrs"] = c.attrs;
  return j;
}

Candidate candidate_from_json(const json& j) {
  Candidate c;
  c.id = j.at("id").get<std::string>();
  c.family = value_or<std::string>(j, "family", "");
  c.notes = value_or<std::string>(j, "notes", "");
  if (auto it = j.find("attrs"); it != j.end() && it->is_object()) {
    c.attrs = it->get<std::map<std::string, std::string>>();
  }
  return c;
}

json to_json(const TrialResult& r) {
  json j{{"verdict", std::string(to_string(r.verdict))},
         {"detail", r.detail},
         {"phase", std::string(to_string(r.phase))},
         {"rel_err", r.rel_err >= 0 ? finite_or_null(r.rel_err) : json(nullptr)},
         {"workspace_bytes", r.workspace_bytes},
         {"device", r.device},
         {"attempt", r.attempt},
         {"wall_ms", finite_or_null(r.wall_ms)},
         {"restart_worker", r.restart_worker}};
  if (!r.picked.empty()) j["picked"] = r.picked;
  if (r.time) {
    j["time_ms"] = json{{"median", finite_or_null(r.time->median_ms)},
                        {"min", finite_or_null(r.time->min_ms)},
                        {"max", finite_or_null(r.time->max_ms)},
                        {"repeats", r.time->repeats},
                        {"launches", r.time->launches},
                        {"samples", samples_to_json(r.time->samples_ms)}};
  } else {
    j["time_ms"] = nullptr;
  }
  j["verify"] = json{{"sampled", r.verify.sampled},
                     {"points", r.verify.points},
                     {"seed", r.verify.seed},
                     {"threshold", finite_or_null(r.verify.threshold)},
                     {"math", r.verify.math}};
  return j;
}

TrialResult trial_result_from_json(const json& j) {
  TrialResult r;
  if (!verdict_from_string(j.at("verdict").get<std::string>(), &r.verdict)) {
    throw std::runtime_error("unknown verdict '" + j.at("verdict").get<std::string>() + "'");
  }
  r.detail = value_or<std::string>(j, "detail", "");
  if (auto it = j.find("phase"); it != j.end() && it->is_string())
    phase_from_string(it->get<std::string>(), &r.phase);
  r.rel_err = number_or(j, "rel_err", -1);
  r.workspace_bytes = value_or<int64_t>(j, "workspace_bytes", 0);
  r.device = value_or<std::string>(j, "device", "");
  r.attempt = value_or<int>(j, "attempt", 1);
  r.wall_ms = number_or(j, "wall_ms", 0);
  r.restart_worker = value_or<bool>(j, "restart_worker", false);
  if (auto it = j.find("picked"); it != j.end() && it->is_array()) {
    for (const auto& p : *it) {
      if (p.is_string()) r.picked.push_back(p.get<std::string>());
    }
  }
  if (auto it = j.find("time_ms"); it != j.end() && it->is_object()) {
    Timing t;
    t.median_ms = number_or(*it, "median", std::nan(""));
    t.min_ms = number_or(*it, "min", std::nan(""));
    t.max_ms = number_or(*it, "max", std::nan(""));
    t.repeats = value_or<int>(*it, "repeats", 0);
    t.launches = value_or<int64_t>(*it, "launches", 0);
    if (auto samples = it->find("samples"); samples != it->end()) t.samples_ms = samples_from_json(*samples);
    r.time = t;
  }
  if (auto it = j.find("verify"); it != j.end() && it->is_object()) {
    r.verify.sampled = value_or<bool>(*it, "sampled", false);
    r.verify.points = value_or<int64_t>(*it, "points", 0);
    r.verify.seed = value_or<uint64_t>(*it, "seed", 0);
    r.verify.threshold = number_or(*it, "threshold", 0);
    r.verify.math = value_or<std::string>(*it, "math", "");
  }
  return r;
}

json samples_to_json(const std::vector<double>& samples) {
  json out = json::array();
  for (double ms : samples) out.push_back(finite_or_null(ms));
  return out;
}

std::vector<double> samples_from_json(const json& j) {
  std::vector<double> out;
  if (!j.is_array()) return out;
  for (const auto& ms : j) out.push_back(ms.is_number() ? ms.get<double>() : std::nan(""));
  return out;
}

json to_json(const TrialOptions& o) {
  return json{{"seed", o.seed},
              {"warmup", o.warmup},
              {"repeats", o.repeats},
              {"min_time_ms", o.min_time_ms},
              {"max_time_ms", o.max_time_ms},
              {"flush_l2", o.flush_l2},
              {"verify", o.verify},
              {"time", o.time},
              {"max_workspace_bytes", o.max_workspace_bytes},
              {"full_verify_max_macs", o.full_verify_max_macs},
              {"sample_points", o.sample_points},
              {"device", o.device},
              {"backend_options", o.backend_options},
              {"best_so_far_ms", o.best_so_far_ms}};
}

TrialOptions trial_options_from_json(const json& j) {
  TrialOptions o;
  o.seed = value_or<uint64_t>(j, "seed", o.seed);
  o.warmup = value_or<int>(j, "warmup", o.warmup);
  o.repeats = value_or<int>(j, "repeats", o.repeats);
  o.min_time_ms = number_or(j, "min_time_ms", o.min_time_ms);
  o.max_time_ms = number_or(j, "max_time_ms", o.max_time_ms);
  o.flush_l2 = value_or<bool>(j, "flush_l2", o.flush_l2);
  o.verify = value_or<bool>(j, "verify", o.verify);
  o.time = value_or<bool>(j, "time", o.time);
  o.max_workspace_bytes = value_or<int64_t>(j, "max_workspace_bytes", o.max_workspace_bytes);
  o.full_verify_max_macs = number_or(j, "full_verify_max_macs", o.full_verify_max_macs);
  o.sample_points = value_or<int64_t>(j, "sample_points", o.sample_points);
  o.device = value_or<int>(j, "device", o.device);
  if (auto it = j.find("backend_options"); it != j.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      if (value.is_string()) o.backend_options[key] = value.get<std::string>();
    }
  }
  o.best_so_far_ms = number_or(j, "best_so_far_ms", o.best_so_far_ms);
  return o;
}

json to_json(const BackendInfo& info) {
  json devices = json::array();
  for (const auto& d : info.devices) {
    devices.push_back(json{{"index", d.index}, {"name", d.name}, {"details", d.details}});
  }
  return json{{"name", info.name},
              {"version", info.version},
              {"available", info.available},
              {"reason", info.reason},
              {"devices", devices},
              {"notes", info.notes},
              {"worker_env_overrides", info.worker_env_overrides}};
}

BackendInfo backend_info_from_json(const json& j) {
  BackendInfo info;
  info.name = value_or<std::string>(j, "name", "");
  info.version = value_or<std::string>(j, "version", "");
  info.available = value_or<bool>(j, "available", false);
  info.reason = value_or<std::string>(j, "reason", "");
  if (auto it = j.find("devices"); it != j.end() && it->is_array()) {
    for (const auto& d : *it) {
      info.devices.push_back(DeviceInfo{value_or<int>(d, "index", 0), value_or<std::string>(d, "name", ""),
                                        value_or<std::string>(d, "details", "")});
    }
  }
  if (auto it = j.find("notes"); it != j.end() && it->is_array()) {
    info.notes = it->get<std::vector<std::string>>();
  }
  if (auto it = j.find("worker_env_overrides"); it != j.end() && it->is_object()) {
    info.worker_env_overrides = it->get<std::map<std::string, std::string>>();
  }
  return info;
}

}  // namespace convprobe
