// `policy --emit miopen-finddb --finddb-by miopen`: MIOpen writes the records itself (the "safe way",
// ../shared/research/sources-steering-fleets.md §2.5 A). The find-db is backed up first (under MIOpen's
// lock); then per chosen (problem, solver) a fresh supervised worker runs MIOpen's NORMAL Find with the
// find-db on and MIOPEN_DEBUG_FIND_ONLY_SOLVER=<solver> (the MIOpen backend's record candidate,
// backends/miopen/framework_pick.hpp): Find searches only that solver and stores `<key>=<that solver>`,
// in the file, key, format and lock of the MIOpen that reads it. A hang or crash is that problem's verdict,
// and it gets no record. Afterwards the file is read back: what MIOpen wrote per key, and whether every
// other line of the old file is still there byte for byte.
#pragma once

#include <string>
#include <vector>

#include "policy/emit_miopen_finddb.hpp"

namespace convprobe {

struct MiopenWrittenRecord {
  const FindDbChoice* choice = nullptr;
  TrialResult result;                ///< the worker's trial of the solver (Find, then the fp64 check)
  std::vector<std::string> written;  ///< the solvers of the key's record afterwards; empty: none
  [[nodiscard]] bool ok() const {
    return result.verdict == Verdict::pass && written.size() == 1 &&
           written[0] == choice->record.entry.solver;
  }
};

struct FindDbByMiopenReport {
  std::string path;
  std::string backup_path;  ///< empty when there was no file
  std::vector<MiopenWrittenRecord> records;
  std::vector<std::string> lost_lines;  ///< lines of the old file (other keys) missing afterwards
  size_t kept_lines = 0;                ///< lines of the old file (other keys) still there
  [[nodiscard]] bool ok() const;
};

/// Whether the MIOpen backend on this machine can write records for runs of `runs_version`: it loads, and
/// it is that very version (another MIOpen writes another file). False with *why.
[[nodiscard]] bool miopen_can_write_records(const miopen::Version& runs_version, std::string* why);

/// Let MIOpen write the decision's records into `path` (see the file comment). Throws UsageError when the
/// backup cannot be made (then nothing ran) or the backend is unavailable.
[[nodiscard]] FindDbByMiopenReport let_miopen_write_records(const FindDbDecision& d, const std::string& path,
                                                            double lock_timeout_s);

/// The report as text on stdout, or as JSON.
void print_by_miopen_report(const FindDbDecision& d, const FindDbByMiopenReport& r, bool json);

}  // namespace convprobe
