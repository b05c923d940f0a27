// MIOpen's find-db records: the key MIOpen looks a problem up by, and the value it reads, in the format of
// the MIOpen version that reads it. A find-db record names the solver MIOpen uses for one shape before Find
// or immediate mode try anything else (../shared/research/sources-steering-fleets.md §2.4), which is how
// `policy --emit miopen-finddb` keeps a hanging solver away from the shapes where it hangs.
//
// Facts, read in ROCm/MIOpen (tags rocm-5.2.0 = MIOpen 2.17.0, rocm-5.6.0 = 2.20.0, develop 2d1fd99):
//  - key: src/problem_description.cpp:47-91 (5.2) / src/conv/problem_description.cpp:188-238 (develop);
//    "in" is the direction's input (dy for B and W), problem_description.cpp:99-101 (5.2);
//  - value 1.0 (MIOpen <= 2.19, ROCm <= 5.5): one item per algorithm,
//    `<algorithm>:<solver>,<time>,<workspace>,<algorithm>,<unused>` (5.2 perf_field.hpp FindDbData::Visit,
//    convolutionocl.cpp:326-330, kernel_cache_key.hpp:53-59 MakeUnused: network config "<unused>");
//  - value 2.0 (MIOpen >= 2.20.0 = ROCm 5.6.0, commit 489697c1a "Restructure find-db to match Find2.0
//    requirements (#2065)"): one item per solver, `<solver>:<time>,<workspace>,<algorithm>`
//    (rocm-5.6.0 perf_field.hpp FindDbData, convolutionocl.cpp:295-296);
//  - <algorithm> is the directional name, e.g. miopenConvolutionBwdDataAlgoGEMM (conv_algo_name.cpp:119-160);
//  - values are written with std::ostream defaults (serializable.hpp:62 `stream << x`): time as %g, 6 digits.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "convprobe/problem.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {

/// A find-db that cannot be written as asked (a file that is not a text find-db, a folder that cannot be
/// written, MIOpen's lock held too long). The message names the file, the value and what was expected;
/// nothing was changed when it is thrown.
class FindDbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The find-db speaks of the same versions as the solver table (vendor/miopen_switches.hpp).
using Version = MiopenVersion;

/// "MIOpen 2.17.0 (HIP 5.2.21151)" (a run fingerprint's backend_version; whatever follows a space after the
/// version is ignored) or "2.17.0"; false for anything else, e.g. "MIOpen (version unknown)".
bool parse_version(std::string_view text, Version* out);

enum class FindDbFormat { v1_0, v2_0 };
[[nodiscard]] std::string_view to_string(FindDbFormat f);  ///< "1.0", "2.0"

/// The first MIOpen that writes and reads format 2.0: 2.20.0, shipped with ROCm 5.6.0 (rocm-5.5.1's
/// CMakeLists.txt:90 says 2.19.0, rocm-5.6.0's :94 says 2.20.0; 489697c1a is in rocm-5.6.0, not in 5.5.1).
inline constexpr Version kFindDb20Since{2, 20, 0};
/// The format the given MIOpen reads and writes.
[[nodiscard]] FindDbFormat finddb_format(const Version& v);

/// The key MIOpen looks `p` up by, e.g. "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F". nullopt, with
/// *why, for a problem MIOpen cannot be given (asymmetric padding: MIOpen has one pad per axis; TF32).
[[nodiscard]] std::optional<std::string> finddb_key(const Problem& p, std::string* why);

/// MIOpen's directional algorithm name for a convprobe family (gemm, direct, winograd, implicit_gemm, fft),
/// e.g. "miopenConvolutionFwdAlgoGEMM"; empty when the family has none in that direction (FFT has no
/// backward-weights algorithm).
[[nodiscard]] std::string algorithm_name(std::string_view family, Direction dir);

/// One solver's entry in a record.
struct FindDbEntry {
  std::string solver;     ///< MIOpen's SolverDbId, e.g. "GemmFwdRest"
  std::string algorithm;  ///< algorithm_name(), e.g. "miopenConvolutionFwdAlgoGEMM"
  double time_ms = 0;
  int64_t workspace = 0;
  friend bool operator==(const FindDbEntry&, const FindDbEntry&) = default;
};

/// One line of a find-db: key=value. convprobe writes one entry per record, so that MIOpen has only the
/// chosen solver to use for the shape.
struct FindDbRecord {
  std::string key;
  FindDbEntry entry;
  friend bool operator==(const FindDbRecord&, const FindDbRecord&) = default;
};

/// The record's value in `format`: 1.0 "miopenConvolutionFwdAlgoGEMM:GemmFwdRest,0.02352,0,
/// miopenConvolutionFwdAlgoGEMM,<unused>", 2.0 "GemmFwdRest:0.02352,0,miopenConvolutionFwdAlgoGEMM".
[[nodiscard]] std::string finddb_value(const FindDbEntry& entry, FindDbFormat format);
/// key=value, without a line end.
[[nodiscard]] std::string finddb_line(const FindDbRecord& record, FindDbFormat format);

/// The entries of a record's value, in either format (told apart by each item's id: 1.0 items start with
/// the algorithm, "miopenConvolution..."), sorted by time as immediate mode sorts them, so the first is the
/// solver MIOpen uses. Items that do not parse are left out, as MIOpen skips them (5.2 db_record.cpp:97-118).
[[nodiscard]] std::vector<FindDbEntry> parse_finddb_value(std::string_view value);

}  // namespace convprobe::miopen
