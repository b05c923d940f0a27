// The options of benchdnn's conv driver that change which convolution a descriptor is (--dir, --dt or the
// older --cfg, --attr-fpmath, --stag/--wtag/--dtag, --mb), read as benchdnn reads them (oneDNN
// tests/benchdnn/conv/bench_conv.cpp, utils/parser.hpp, doc/driver_conv.md, doc/knobs_*.md at
// uxlfoundation/oneDNN 3f27bec): each holds a comma-separated list, an empty value restores the default, and
// a descriptor runs once per combination of the lists' values (the cross product).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "convprobe/problem.hpp"
#include "sources/tally.hpp"

namespace convprobe::sources::benchdnn {

/// What a memory tag says of a tensor's layout: `any` leaves it to the library (convprobe's nchw then).
enum class TagLayout { any, nchw, nhwc };

/// One value of a list option as convprobe reads it; `value` is empty when convprobe cannot express it, and
/// `why` says so.
template <typename T>
struct Choice {
  std::string text;  ///< as written: "BWD_D", "u8:s8:s32"
  std::optional<T> value;
  std::string why;
};

class Settings {
 public:
  /// Whether these settings model option `name` ("dir", "dt", ...; without "--").
  [[nodiscard]] static bool models(std::string_view name);
  /// Sets modelled option `name` from `value`. Returns one message per value convprobe cannot express
  /// ("--dt=u8:s8:s32: ..."); such values stay in the list, so the descriptors under them are counted as
  /// skipped.
  std::vector<std::string> set(std::string_view name, std::string_view value);
  /// --reset: benchdnn's defaults (FWD_B, f32, strict math, tags any, the descriptor's own mb).
  void reset() { *this = Settings(); }
  /// Adds to `tally` the problems `desc` stands for under these settings, labelled by `desc`'s name or else
  /// `where`, without runs (a batch file does not say how often a program runs them). Each value convprobe
  /// cannot express counts as one skip per descriptor; a combination of tags with two layouts is skipped
  /// too and rejected the first time (`reported` remembers which).
  void expand(const Problem& desc, const std::string& where, Tally* tally,
              std::set<std::string>* reported) const;

 private:
  [[nodiscard]] std::vector<DataType> types() const;
  [[nodiscard]] std::vector<Layout> layouts(const std::string& where, Tally* tally,
                                            std::set<std::string>* reported) const;
  void skip_inexpressible(Tally* tally) const;

  std::vector<Choice<Direction>> dir_{{"FWD_B", Direction::fwd, ""}};
  std::vector<Choice<DataType>> dt_{{"f32", DataType::f32, ""}};
  std::vector<Choice<bool>> tf32_{{"strict", false, ""}};  ///< --attr-fpmath: true = tf32
  std::vector<Choice<TagLayout>> stag_{{"any", TagLayout::any, ""}};
  std::vector<Choice<TagLayout>> wtag_{{"any", TagLayout::any, ""}};
  std::vector<Choice<TagLayout>> dtag_{{"any", TagLayout::any, ""}};
  std::vector<Choice<int64_t>> mb_{{"0", 0, ""}};  ///< 0: the descriptor's own
};

}  // namespace convprobe::sources::benchdnn
