// miopen-finddb: per problem, a record of MIOpen's user find-db naming the fastest solver that passed every
// trial there (docs/amd.md, "Per-shape steering"). Where MIOpen consults the find-db (default Find in
// DYNAMIC_HYBRID mode, immediate mode), a record means the solvers that hang or fail on that shape are never
// tried on it, while they stay in use where they work: GEMM is kept on the shapes where it passed instead of
// switched off everywhere as miopen-env must.
//
// `policy --emit miopen-finddb` prints the records (the lines the find-db gets); jobs/write_finddb merges
// them into the user's find-db (vendor/miopen_finddb_write.hpp). The format, 1.0 or 2.0, follows the MIOpen
// version of the stored runs.
#pragma once

#include <string>
#include <vector>

#include "policy/emitters.hpp"
#include "policy/fastest_pass.hpp"
#include "vendor/miopen_finddb.hpp"

namespace convprobe {

/// `--emit` name of this format.
inline constexpr std::string_view kMiopenFindDbEmitter = "miopen-finddb";

/// One record and where it came from.
struct FindDbChoice {
  std::string problem;  ///< canonical key of the convprobe problem
  std::string label;
  miopen::FindDbRecord record;
  std::string candidate;  ///< the stored candidate id, e.g. "miopen.91.GemmFwdRest"
  size_t trials = 0;      ///< its PASS trials on the problem
};

/// A problem that gets no record, and why.
struct FindDbSkip {
  std::string problem;
  std::string reason;
};

struct FindDbDecision {
  miopen::Version version;
  miopen::FindDbFormat format = miopen::FindDbFormat::v1_0;
  std::vector<FindDbChoice> records;  ///< by problem key; keys distinct
  std::vector<FindDbSkip> skipped;
};

/// The MIOpen version of the runs: policy.backend_version parsed. Throws EmitInputError naming the field and
/// value when it is missing or not a version ("MIOpen (version unknown)").
[[nodiscard]] miopen::Version stored_miopen_version(const Policy& policy);

/// Per problem, the fastest candidate that passed every trial there and that a record can name (a MIOpen
/// solver with a solver_name, a family with an algorithm in the direction, a problem with a key); problems
/// without one are skipped with the reason. Two problems with one key (1-D and its 2-D twin) keep the first.
[[nodiscard]] FindDbDecision decide_miopen_finddb(const Policy& policy,
                                                  const std::vector<StoredTrial>& trials);
/// The record lines, as the find-db gets them; notes say what each is and what got none.
[[nodiscard]] EmitResult render_miopen_finddb(const FindDbDecision& decision, const EmitInput& in);
/// The variable that makes the MIOpen backend offer only its framework candidates (MIOpen picks the solver
/// itself, as a framework lets it: backends/miopen/framework_pick.hpp), and the value that asks for them.
inline constexpr const char* kMiopenFrameworkEnv = "CONVPROBE_MIOPEN_FRAMEWORK";
inline constexpr const char* kMiopenFrameworkListing = "list";

/// A file the find-db row claims: not JSON, and find-db text or named as a MIOpen user find-db (whose other
/// lines may be anything: MIOpen skips ill-formed ones).
[[nodiscard]] bool is_finddb_file(const PolicyText& file);

/// Claims find-db text (vendor/miopen_finddb_file.hpp looks_like_finddb). A user find-db (its file name
/// says so; anything else is refused, MIOpen would not read it) is read for verify: its records' solvers,
/// MIOPEN_USER_DB_PATH = its folder, and the worker variable that asks for the framework candidates.
ReadBack read_back_miopen_finddb(const PolicyText& file, PolicySource* out, std::string* err);

}  // namespace convprobe
