#include "jobs/finddb_by_miopen.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "jobs/session.hpp"
#include "jobs/usage_error.hpp"
#include "vendor/miopen_finddb_file.hpp"
#include "vendor/miopen_finddb_write.hpp"

namespace convprobe {

namespace {

/// The family of a directional algorithm name ("miopenConvolutionFwdAlgoImplicitGEMM" -> implicit_gemm):
/// the forced Find checks its answer against it.
std::string family_of(const std::string& algorithm) {
  static const std::map<std::string, std::string> kFamilies = {{"ImplicitGEMM", "implicit_gemm"},
                                                               {"GEMM", "gemm"},
                                                               {"Direct", "direct"},
                                                               {"Winograd", "winograd"},
                                                               {"FFT", "fft"}};
  const auto at = algorithm.find("Algo");
  if (at == std::string::npos) return {};
  const auto it = kFamilies.find(algorithm.substr(at + 4));
  return it == kFamilies.end() ? std::string() : it->second;
}

/// The backend's record candidate for the chosen solver (backends/miopen/framework_pick.hpp).
Candidate record_candidate(const FindDbChoice& c) {
  const auto a = c.candidate.find('.');
  const std::string id = c.candidate.substr(a + 1, c.candidate.find('.', a + 1) - a - 1);
  Candidate r;
  r.id = "miopen.framework.record";
  r.family = family_of(c.record.entry.algorithm);
  r.attrs = {
      {"listing", "framework"},
      {"mode", "record"},
      {"solver_id", id},
      {"worker_env", std::string(kMiopenFrameworkEnv) + "=record\nMIOPEN_DEBUG_FIND_ONLY_SOLVER=" + id}};
  return r;
}

SessionOptions writer_session(const std::string& path) {
  SessionOptions o;
  o.executor.backend = "miopen";
  // MIOpen writes into <this folder>/<its own file name>: the file named by --finddb when it is MIOpen's.
  o.executor.env["MIOPEN_USER_DB_PATH"] = std::filesystem::path(path).parent_path().string();
  return o;
}

/// Per key, the solvers of its record in `text` (first line with the key, as MIOpen reads).
std::map<std::string, std::vector<std::string>> records_in(const std::string& text) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& line : miopen::split_finddb_lines(text)) {
    if (line.key.empty() || out.count(std::string(line.key)) != 0) continue;
    std::vector<std::string> solvers;
    for (const auto& e : miopen::parse_finddb_value(line.text.substr(line.key.size() + 1)))
      solvers.push_back(e.solver);
    out[std::string(line.key)] = std::move(solvers);
  }
  return out;
}

/// Lines of `old` whose key is none of the decision's, each still in `now` (as many times).
void compare_other_lines(const FindDbDecision& d, const std::string& old, const std::string& now,
                         FindDbByMiopenReport* r) {
  std::vector<std::string> remaining;
  for (const auto& l : miopen::split_finddb_lines(now)) remaining.emplace_back(l.text);
  for (const auto& l : miopen::split_finddb_lines(old)) {
    const bool ours = std::any_of(d.records.begin(), d.records.end(),
                                  [&](const FindDbChoice& c) { return c.record.key == l.key; });
    if (ours || l.text.empty()) continue;
    const auto it = std::find(remaining.begin(), remaining.end(), l.text);
    if (it == remaining.end()) {
      r->lost_lines.emplace_back(l.text);
    } else {
      remaining.erase(it);
      ++r->kept_lines;
    }
  }
}

/// The file MIOpen created in `folder` while writing the first records; the folder itself when it wrote
/// none (every record then reads as not written).
std::string file_miopen_named(const std::string& folder, const miopen::Version& version) {
  std::string err;
  const auto file = miopen::choose_user_finddb(folder, version, &err);
  return file ? *file : folder;
}

}  // namespace

bool FindDbByMiopenReport::ok() const {
  return lost_lines.empty() &&
         std::all_of(records.begin(), records.end(), [](const MiopenWrittenRecord& r) { return r.ok(); });
}

bool miopen_can_write_records(const miopen::Version& runs_version, std::string* why) {
  try {
    SessionOptions o;
    o.executor.backend = "miopen";
    const Session session(o);
    miopen::Version here;
    if (!miopen::parse_version(session.info().version, &here) || here != runs_version) {
      *why = fmt::format("the MIOpen here is '{}', the runs' is {}", session.info().version,
                         runs_version.to_string());
      return false;
    }
    return true;
  } catch (const std::exception& e) {
    *why = e.what();
    return false;
  }
}

FindDbByMiopenReport let_miopen_write_records(const FindDbDecision& d, const std::string& path,
                                              double lock_timeout_s) {
  FindDbByMiopenReport report;
  report.path = path;
  const bool named_by_miopen = path.ends_with('/');
  miopen::FindDbWriteOptions w;
  w.lock_timeout = std::chrono::milliseconds(static_cast<int64_t>(lock_timeout_s * 1000));
  miopen::FindDbBackup backup;
  try {
    if (!named_by_miopen) backup = miopen::backup_finddb(path, w);
  } catch (const miopen::FindDbError& e) {
    throw UsageError(e.what());
  }
  report.backup_path = backup.path;
  Session session(writer_session(path));
  TrialOptions trial;
  trial.repeats = 1;
  trial.warmup = 0;
  for (const auto& c : d.records) {
    Problem p;
    std::string err;
    MiopenWrittenRecord rec{&c, {}, {}};
    if (!parse_problem(c.problem, &p, &err)) {
      rec.result.verdict = Verdict::failed;
      rec.result.detail = err;
    } else {
      // One run() per record: a worker of its own, so MIOpen loads with this solver forced.
      session.executor().run({TrialRequest{p, record_candidate(c), 1}}, trial,
                             [&](const TrialRequest&, const TrialResult& r) { rec.result = r; });
    }
    report.records.push_back(std::move(rec));
  }
  if (named_by_miopen) report.path = file_miopen_named(path, d.version);
  const std::string now = report.path.ends_with('/') ? std::string() : file_bytes(report.path);
  const auto records = records_in(now);
  for (auto& rec : report.records) {
    if (auto it = records.find(rec.choice->record.key); it != records.end()) rec.written = it->second;
  }
  compare_other_lines(d, backup.bytes, now, &report);
  return report;
}

void print_by_miopen_report(const FindDbDecision& d, const FindDbByMiopenReport& r, bool json) {
  if (json) {
    nlohmann::json doc{{"finddb", r.path},
                       {"written_by", "miopen"},
                       {"backup", r.backup_path},
                       {"miopen_version", d.version.to_string()},
                       {"ok", r.ok()},
                       {"kept_lines", r.kept_lines},
                       {"lost_lines", r.lost_lines},
                       {"records", nlohmann::json::array()}};
    for (const auto& rec : r.records) {
      doc["records"].push_back({{"problem", rec.choice->problem},
                                {"key", rec.choice->record.key},
                                {"chosen", rec.choice->record.entry.solver},
                                {"written", rec.written},
                                {"verdict", to_string(rec.result.verdict)},
                                {"detail", rec.result.detail},
                                {"ok", rec.ok()}});
    }
    fmt::print("{}\n", doc.dump(2));
    return;
  }
  fmt::print("find-db {} (MIOpen {}, format {}), records written by MIOpen (NORMAL Find, one solver each)\n",
             r.path, d.version.to_string(), to_string(d.format));
  for (const auto& rec : r.records) {
    const std::string written =
        rec.written.empty() ? "no record" : fmt::format("{}", fmt::join(rec.written, ";"));
    fmt::print("  {:<9} {} -> {}: {}, MIOpen wrote {}  [{}]\n", rec.ok() ? "written" : "FAILED",
               rec.choice->problem, rec.choice->record.entry.solver, to_string(rec.result.verdict), written,
               rec.choice->record.key);
    if (rec.result.verdict != Verdict::pass) fmt::print("            {}\n", rec.result.detail);
  }
  for (const auto& s : d.skipped) fmt::print("  no record {}: {}\n", s.problem, s.reason);
  fmt::print("{} other line(s) of the file kept byte for byte{}\n", r.kept_lines,
             r.lost_lines.empty()
                 ? ""
                 : fmt::format(", {} LOST (restore them from the backup)", r.lost_lines.size()));
  for (const auto& l : r.lost_lines) fmt::print("  lost: {}\n", l);
  if (!r.backup_path.empty()) fmt::print("backup: {}\n", r.backup_path);
}

}  // namespace convprobe
