// Issue 20: every problem line that benchdnn accepts, convprobe accepts as the same convolution.
//
// `benchdnn_reads` is a model of how benchdnn's conv driver reads a descriptor (oneDNN
// tests/benchdnn/conv/conv_aux.cpp `str2desc`, common.cpp `sanitize_desc`, conv.hpp `init_pad_r`, read at
// uxlfoundation/oneDNN 3f27bec): keys in any order, `_` ignored, a missing padding with an output size given
// is
// ((o - 1) * s - i + effective kernel) / 2 rounded toward zero, the padding after is what reaches the output,
// the problem has as many spatial axes as output sizes it ends up with, and an axis without keys copies the
// next larger one. Written from those rules, not copied.
//
// Always run: hand-written lines of every kind. With CONVPROBE_BENCHDNN_SHAPES=DIR (a directory holding
// oneDNN's tests/benchdnn/inputs/conv/shapes_* files), every line of every file there is checked too; a line
// convprobe refuses only for its 64 GiB limit on one tensor is counted apart (shapes_large_conv has one).
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>

#include "convprobe/problem.hpp"

namespace convprobe {
namespace {

struct BenchdnnDesc {
  int spatial_dims = 0;
  // Per axis {d, h, w}: input, output, kernel, stride, padding before, padding after, dilation.
  std::array<int64_t, 3> i{}, o{}, k{}, s{1, 1, 1}, p{-1, -1, -1}, pr{}, d{};
  int64_t g = -1, mb = 2, ic = 0, oc = 0;
};

/// One key's slot, or nullptr when `key` is not a benchdnn conv key.
int64_t* slot(BenchdnnDesc& b, std::string_view key) {
  if (key == "g") return &b.g;
  if (key == "mb") return &b.mb;
  if (key == "ic") return &b.ic;
  if (key == "oc") return &b.oc;
  if (key.size() != 2) return nullptr;
  const size_t axis = std::string_view("dhw").find(key[1]);
  if (axis == std::string_view::npos) return nullptr;
  switch (key[0]) {
    case 'i':
      return &b.i[axis];
    case 'o':
      return &b.o[axis];
    case 'k':
      return &b.k[axis];
    case 's':
      return &b.s[axis];
    case 'p':
      return &b.p[axis];
    case 'd':
      return &b.d[axis];
    default:
      return nullptr;
  }
}

bool read_keys(std::string_view text, BenchdnnDesc* b) {
  static constexpr std::string_view kKeys[] = {"g",  "mb", "ic", "id", "ih", "iw", "oc", "od",
                                               "oh", "ow", "kd", "kh", "kw", "sd", "sh", "sw",
                                               "pd", "ph", "pw", "dd", "dh", "dw"};
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == 'n') return true;  // the name runs to the end
    if (text[pos] == '_') {
      ++pos;
      continue;
    }
    bool matched = false;
    for (std::string_view key : kKeys) {
      if (text.substr(pos, key.size()) != key) continue;
      size_t end = pos + key.size();
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
      if (end == pos + key.size()) return false;
      *slot(*b, key) = std::stoll(std::string(text.substr(pos + key.size(), end - pos - key.size())));
      pos = end;
      matched = true;
      break;
    }
    if (!matched) return false;
  }
  return true;
}

/// One axis: false when benchdnn refuses it. `used` says whether it has any value at all.
bool resolve_axis(BenchdnnDesc& b, int a, bool* used) {
  *used = (b.i[a] | b.k[a] | b.o[a] | b.d[a]) != 0 || b.s[a] != 1 || b.p[a] >= 1;
  if (!*used) return true;
  if (b.i[a] <= 0 || b.k[a] <= 0) return false;
  const int64_t span = (b.k[a] - 1) * (b.d[a] + 1) + 1;
  if (b.o[a] == 0) {
    if (b.p[a] < 0) b.p[a] = 0;
    b.o[a] = (b.i[a] - span + 2 * b.p[a]) / b.s[a] + 1;  // rounded toward zero, as benchdnn's C++ does
    return b.o[a] > 0;
  }
  if (b.p[a] < 0) b.p[a] = ((b.o[a] - 1) * b.s[a] - b.i[a] + span) / 2;
  return true;
}

std::optional<BenchdnnDesc> benchdnn_reads(std::string_view text) {
  BenchdnnDesc b;
  if (!read_keys(text, &b)) return std::nullopt;
  if (b.g == 0 || b.ic <= 0 || b.oc <= 0 || b.s[0] <= 0 || b.s[1] <= 0 || b.s[2] <= 0) return std::nullopt;
  if (b.g < 0) b.g = 1;
  std::array<bool, 3> used{};
  for (int a = 0; a < 3; ++a) {
    bool u = false;
    if (!resolve_axis(b, a, &u)) return std::nullopt;
    used[a] = u;
  }
  const bool no_d = b.o[0] == 0, no_h = b.o[1] == 0, no_w = b.o[2] == 0;
  b.spatial_dims = no_d ? (no_h ? (no_w ? 0 : 1) : 2) : 3;
  if (b.spatial_dims == 0) return std::nullopt;
  auto copy_axis = [&b](int from, int to) {
    for (auto* v : {&b.i, &b.o, &b.k, &b.s, &b.p, &b.d}) (*v)[to] = (*v)[from];
  };
  if (b.spatial_dims == 3 && no_h && no_w) copy_axis(0, 1), copy_axis(0, 2);
  if (b.spatial_dims == 3 && no_h != no_w) return std::nullopt;  // all of h and w, or none
  if (b.spatial_dims == 2 && no_w) copy_axis(1, 2);
  for (int a = 0; a < 3 - b.spatial_dims; ++a) b.i[a] = b.o[a] = b.k[a] = b.s[a] = 1, b.p[a] = b.d[a] = 0;
  for (int a = 0; a < 3; ++a)
    b.pr[a] = (b.o[a] - 1) * b.s[a] - b.i[a] + (b.k[a] - 1) * (b.d[a] + 1) + 1 - b.p[a];
  return b;
}

Problem as_problem(const BenchdnnDesc& b) {
  Problem p;
  p.spatial_dims = b.spatial_dims;
  p.g = b.g, p.mb = b.mb, p.ic = b.ic, p.oc = b.oc;
  p.in = b.i, p.kernel = b.k, p.stride = b.s, p.dilation = b.d, p.pad_begin = b.p, p.pad_end = b.pr;
  return p;
}

/// A batch-file line without its comment and surrounding blanks.
std::string strip(std::string line) {
  line = line.substr(0, line.find('#'));
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
}

/// benchdnn accepts `line` and convprobe refuses it only for its limit on one tensor's bytes (validate()'s
/// max_tensor_bytes, 64 GiB): a limit of convprobe's, not a different reading.
bool over_tensor_limit(const std::string& line) {
  const auto b = benchdnn_reads(line);
  if (!b) return false;
  const Problem want = as_problem(*b);
  return !validate(want).empty() && validate(want, std::numeric_limits<int64_t>::max()).empty();
}

/// Empty when convprobe reads `line` as benchdnn does (or benchdnn refuses it too), else what differs.
std::string compare(const std::string& line) {
  const auto b = benchdnn_reads(line);
  if (!b) return "";
  Problem p;
  std::string err;
  if (!parse_problem(line, &p, &err)) return "benchdnn accepts it, convprobe says: " + err;
  const Problem want = as_problem(*b);
  if (!(p == want)) return "convprobe reads " + to_string(p) + ", benchdnn " + to_string(want);
  if (p.out() != b->o) return "output sizes differ: " + to_string(p);
  return "";
}

TEST(BenchdnnShapes, HandWrittenLinesOfEveryKindReadAsBenchdnnReadsThem) {
  const char* lines[] = {
      // symmetric, as today
      "mb50ic64ih56oc64oh56kh3ph1n\"resnet_50:res2a_branch2b*3\"",
      "g1mb50ic3ih224iw224oc64oh112ow112kh7kw7sh2sw2ph3pw3n\"resnet_50:conv1\"",
      // the output size implies a different padding after: bottom 0, top 1
      "mb1_g16_ic16oc16_kh3kw1_ih10iw1_oh9ow1_sh1sw1_ph1pw0_dh0dw0",
      // an output size without a padding: ph = 5 / 2 = 2 before, 3 after (ResNet's conv1 written benchdnn's
      // way)
      "mb1ic3ih224oc64oh112kh7sh2",
      // stride slack: the end padding benchdnn derives is negative but reads nothing
      "mb2ic16ih13oc16oh6kh3sh2ph0",
      "ic8ih7oc8oh3kh2sh3ph1",
      // 1-D
      "ic16oc16_iw5ow5kw1pw0",
      "g2_ic32oc32_iw27kw2_n\"1d_gconv\"",
      "ic4oc4iw9ow4kw3sw2pw0",
      // 3-D, with and without per-axis values, and with an output size on one axis only
      "ic8id5ih6iw7oc8od5oh3ow7kd3kh3kw1pd1ph0pw0sh2",
      "ic4id8oc4od4kd3sd2",
      "ic3id4kd1oc4od9",
      // an axis with its own input and kernel keys takes benchdnn's defaults for the rest (sw1, pw derived
      // from ow), not the height's (oneDNN shapes_regression_dw)
      "mb1_g16ic16oc16_ih15oh7kh6sh2ph3_iw10ow10kw3n\"dw_regression:conv9\"",
      "ic3ih224iw112oc4kh3kw5sh2ph1",
      // dilation with a derived padding
      "mb1ic8ih20oc8oh20kh3dh1",
  };
  for (const char* line : lines) {
    ASSERT_TRUE(benchdnn_reads(line).has_value()) << line << ": the model must accept every line here";
    EXPECT_EQ(compare(line), "") << line;
  }
}

TEST(BenchdnnShapes, AsymmetricLinesKeepTheirMeaningInCanonicalForm) {
  Problem p;
  std::string err;
  ASSERT_TRUE(parse_problem("mb1ic3ih224oc64oh112kh7sh2", &p, &err)) << err;
  EXPECT_EQ(p.pad_begin[1], 2);
  EXPECT_EQ(p.canonical_pad_end(1), 3);
  EXPECT_EQ(to_string(p), "mb1ic3ih224oc64oh112kh7sh2ph2");
}

TEST(BenchdnnShapes, EveryLineOfOnednnsShapeFilesThatBenchdnnAccepts) {
  const char* dir = std::getenv("CONVPROBE_BENCHDNN_SHAPES");
  if (dir == nullptr)
    GTEST_SKIP() << "set CONVPROBE_BENCHDNN_SHAPES to a folder of oneDNN's conv shapes_* files";
  int files = 0, lines = 0, accepted = 0, differ = 0, too_large = 0, memory_layouts = 0;
  std::vector<std::string> failures;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("shapes_", 0) != 0) continue;
    ++files;
    std::ifstream in(entry.path());
    for (std::string raw; std::getline(in, raw);) {
      const std::string line = strip(raw);
      if (line.empty()) continue;
      if (line.rfind("--", 0) == 0) {  // --strides=... memory layouts: a benchdnn option, not a problem
        ++memory_layouts;
        continue;
      }
      ++lines;
      if (!benchdnn_reads(line)) continue;
      ++accepted;
      if (auto why = compare(line); !why.empty()) {
        if (over_tensor_limit(line)) {
          ++too_large;
          continue;
        }
        ++differ;
        if (failures.size() < 20)
          failures.push_back(entry.path().filename().string() + ": " + line + ": " + why);
      }
    }
  }
  EXPECT_GT(files, 0) << dir;
  std::string listed;
  for (const auto& f : failures) listed += f + "\n";
  EXPECT_EQ(differ, 0) << differ << " line(s) differ (at most 20 listed):\n" << listed;
  RecordProperty("files", files);
  RecordProperty("lines", lines);
  RecordProperty("accepted_by_benchdnn", accepted);
  RecordProperty("memory_layout_lines", memory_layouts);
  RecordProperty("differ", differ);
  RecordProperty("over_tensor_limit", too_large);
  std::printf(
      "%d files, %d problem lines, %d accepted by benchdnn; of those, %d read differently by convprobe and "
      "%d refused by convprobe's 64 GiB tensor limit only; %d --strides lines\n",
      files, lines, accepted, differ, too_large, memory_layouts);
}

}  // namespace
}  // namespace convprobe
