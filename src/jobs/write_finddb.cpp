#include "jobs/write_finddb.hpp"

#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "jobs/finddb_by_miopen.hpp"
#include "jobs/usage_error.hpp"
#include "jobs/write_finddb_output.hpp"
#include "vendor/miopen_finddb_file.hpp"
#include "vendor/miopen_finddb_write.hpp"
#include "vendor/miopen_log.hpp"

namespace convprobe {

namespace {

std::string read_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("--finddb-log '{}': cannot read the file", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A relative --finddb is made absolute: MIOpen spells its paths absolute, and the lock's name is derived
/// from the spelling. An absolute one (copied from MIOpen's log) is kept exactly as written.
std::string as_miopen_spells_it(const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() ? path : std::filesystem::absolute(p).lexically_normal().string();
}

/// The file to write, from --finddb or --finddb-log; the log's lookups go into *log.
std::string resolve_target(const FindDbTargetOptions& o, const miopen::Version& version,
                           std::optional<miopen::UserFindDbLookups>* log) {
  if (!o.finddb.empty() && !o.finddb_log.empty()) {
    throw UsageError("--finddb and --finddb-log both name the find-db: give one of them");
  }
  std::string err;
  if (!o.finddb_log.empty()) {
    *log = miopen::user_finddb_from_log(read_log(o.finddb_log), &err);
    if (!*log) throw UsageError(fmt::format("--finddb-log '{}': {}", o.finddb_log, err));
    return (*log)->path;
  }
  if (o.finddb != "auto") return as_miopen_spells_it(o.finddb);
  const std::string dir = miopen::user_db_dir(miopen::process_env());
  const auto chosen = miopen::choose_user_finddb(dir, version, &err);
  if (!chosen) throw UsageError("--finddb auto: " + err);
  return *chosen;
}

/// MIOpen reads only <base>.HIP.<its version>_<tweak>.ufdb.txt: any other name would be written for nothing.
void check_name(const std::string& path, const miopen::Version& version) {
  miopen::UserFindDbName name;
  const std::string file = std::filesystem::path(path).filename().string();
  if (!miopen::parse_user_finddb_name(file, &name)) {
    throw UsageError(
        fmt::format("find-db '{}': the name '{}' is not a MIOpen user find-db's; expected "
                    "<arch>_<CUs>.HIP.{}_{}_{}_<tweak>"
                    ".ufdb.txt (MIOpen reads no other name: take it from MIOpen's log, --finddb-log)",
                    path, file, version.major, version.minor, version.patch));
  }
  if (name.version != version) {
    throw UsageError(fmt::format(
        "find-db '{}' is MIOpen {}'s, but the verdicts come from MIOpen {}: each MIOpen reads only its own "
        "version's file, and records name the solvers of the version they were measured with",
        path, name.version.to_string(), version.to_string()));
  }
}

/// Whether MIOpen writes the records: --finddb-by, else MIOpen when its backend here can (said on stderr).
bool by_miopen(const FindDbTargetOptions& o, const miopen::Version& version) {
  if (o.by == "convprobe") return false;
  if (!o.by.empty() && o.by != "miopen")
    throw UsageError(fmt::format("--finddb-by '{}': expected miopen or convprobe", o.by));
  std::string why;
  const bool can = miopen_can_write_records(version, &why);
  if (o.by == "miopen" && !can) throw UsageError("--finddb-by miopen: MIOpen cannot write them here: " + why);
  if (o.by.empty()) {
    fmt::print(
        stderr, "{}\n",
        can ? "records written by MIOpen itself (--finddb-by miopen; --finddb-by convprobe writes the lines)"
            : "records written by convprobe (--finddb-by convprobe): " + why);
  }
  return can;
}

/// --finddb auto on a machine whose MIOpen has no user find-db of this version yet (a first run): the folder,
/// ending in '/', for MIOpen to name the file in when it writes the first record. Its name holds the arch/CU
/// base and the build hash, which cannot be known from outside. nullopt when a file exists or was named.
std::optional<std::string> folder_for_a_new_finddb(const FindDbTargetOptions& o, const miopen::Version& v) {
  if (o.finddb != "auto" || !o.finddb_log.empty()) return std::nullopt;
  std::string dir = miopen::user_db_dir(miopen::process_env());
  std::error_code ec;
  if (!miopen::user_finddbs_in(dir, v, &ec).empty()) return std::nullopt;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw UsageError(
        fmt::format("--finddb auto: cannot create MIOpen's user db folder '{}': {}", dir, ec.message()));
  if (!dir.ends_with('/')) dir += '/';
  return dir;
}

bool write_by_miopen(const FindDbDecision& d, const std::string& path, const FindDbTargetOptions& o) {
  const FindDbByMiopenReport report = let_miopen_write_records(d, path, o.lock_timeout_s);
  print_by_miopen_report(d, report, o.json);
  return report.ok();
}

}  // namespace

bool write_finddb_target(const FindDbDecision& d, const FindDbTargetOptions& o) {
  if (!(o.lock_timeout_s >= 0) || o.lock_timeout_s > 3600) {
    throw UsageError(fmt::format("--lock-timeout {} must be between 0 and 3600 seconds", o.lock_timeout_s));
  }
  if (!o.has_target()) {
    print_finddb_report(d, nullptr, nullptr, o.json);
    return true;
  }
  const bool miopen_writes = !o.dry_run && by_miopen(o, d.version);
  if (miopen_writes) {
    if (auto folder = folder_for_a_new_finddb(o, d.version)) return write_by_miopen(d, *folder, o);
  }
  std::optional<miopen::UserFindDbLookups> log;
  const std::string path = resolve_target(o, d.version, &log);
  check_name(path, d.version);
  if (miopen_writes) return write_by_miopen(d, path, o);
  std::vector<miopen::FindDbRecord> records;
  for (const auto& c : d.records) records.push_back(c.record);
  miopen::FindDbWriteOptions w;
  w.dry_run = o.dry_run;
  w.lock_timeout = std::chrono::milliseconds(static_cast<int64_t>(o.lock_timeout_s * 1000));
  miopen::FindDbWriteReport report;
  try {
    report = miopen::write_finddb(path, records, d.format, w);
  } catch (const miopen::FindDbError& e) {
    throw UsageError(e.what());
  }
  print_finddb_report(d, &report, log ? &*log : nullptr, o.json);
  return true;
}

}  // namespace convprobe
