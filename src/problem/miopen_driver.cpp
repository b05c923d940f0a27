// MIOpenDriver `conv` command lines as problem input, so a line from MIOPEN_ENABLE_LOGGING_CMD=1 or a bug
// report can be pasted as is. Flag names and defaults follow MIOpen's driver/conv_driver.hpp
// (ConvDriver::AddCmdLineArgs); MIOpen's dilation 1 = none becomes benchdnn's d0.
#include "problem/miopen_driver.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <string>

#include "base/text.hpp"
#include "convprobe/problem.hpp"
#include "problem/checked_math.hpp"

namespace convprobe {

namespace {

struct Flag {
  char short_name;
  std::string_view long_name;
  std::string_view default_value;
  bool used;  ///< false: a run option of MIOpenDriver (iterations, timing, ...) that does not change the
              ///< problem
};

// Geometry flags use MIOpenDriver's defaults; run options are accepted and ignored.
constexpr Flag kFlags[] = {
    {'_', "spatial_dim", "2", true},
    {'F', "forw", "0", true},
    {'n', "batchsize", "100", true},
    {'c', "in_channels", "3", true},
    {'!', "in_d", "32", true},
    {'H', "in_h", "32", true},
    {'W', "in_w", "32", true},
    {'k', "out_channels", "32", true},
    {'@', "fil_d", "3", true},
    {'y', "fil_h", "3", true},
    {'x', "fil_w", "3", true},
    {'#', "conv_stride_d", "1", true},
    {'u', "conv_stride_h", "1", true},
    {'v', "conv_stride_w", "1", true},
    {'$', "pad_d", "0", true},
    {'p', "pad_h", "0", true},
    {'q', "pad_w", "0", true},
    {'^', "dilation_d", "1", true},
    {'l', "dilation_h", "1", true},
    {'j', "dilation_w", "1", true},
    {'g', "group_count", "1", true},
    {'I', "in_layout", "", true},
    {'O', "out_layout", "", true},
    {'f', "fil_layout", "", true},
    {'m', "mode", "conv", true},
    {'z', "pad_mode", "default", true},
    {'r', "pad_val", "0", false},
    {'%', "trans_output_pad_d", "0", false},
    {'Y', "trans_output_pad_h", "0", false},
    {'X', "trans_output_pad_w", "0", false},
    {'i', "iter", "10", false},
    {'V', "verify", "1", false},
    {'C', "verification_cache", "", false},
    {'t', "time", "0", false},
    {'w', "wall", "0", false},
    {'s', "search", "0", false},
    {'P', "printconv", "1", false},
    {'o', "dump_output", "0", false},
    {'d', "in_data", "", false},
    {'e', "weights", "", false},
    {'b', "bias", "", false},
    {'Z', "tensor_vect", "0", false},
    {'L', "vector_length", "1", false},
    {'a', "in_bias", "", false},
    {'D', "dout_data", "", false},
    {'S', "solution", "-1", false},
    {'G', "gpualloc", "0", false},
    {'U', "in_cast_type", "-1", false},
    {'T', "out_cast_type", "-1", false},
    {'R', "wei_cast_type", "-1", false},
};

const Flag* find_flag(std::string_view arg) {
  for (const auto& f : kFlags) {
    if (arg.size() == 2 && arg[0] == '-' && arg[1] == f.short_name) return &f;
    if (arg.size() > 2 && arg.substr(0, 2) == "--" && arg.substr(2) == f.long_name) return &f;
  }
  return nullptr;
}

/// The flags given, by long name, plus the driver's defaults for the rest.
class DriverArgs {
 public:
  bool parse(const std::vector<std::string_view>& args, size_t first, std::string* err) {
    for (size_t i = first; i < args.size(); ++i) {
      std::string_view arg = args[i];
      std::optional<std::string_view> inline_value;
      if (arg.substr(0, 2) == "--" && arg.find('=') != std::string_view::npos) {
        inline_value = arg.substr(arg.find('=') + 1);
        arg = arg.substr(0, arg.find('='));
      }
      const Flag* flag = find_flag(arg);
      if (!flag) {
        *err = fmt::format(
            "unknown MIOpenDriver conv flag \"{}\"; expected flags such as -n -c -H -W -k -y -x "
            "-p -q -u -v -l -j -g -F (see docs/problems.md)",
            arg);
        return false;
      }
      const bool next_is_flag = i + 1 < args.size() && args[i + 1].size() > 1 && args[i + 1][0] == '-' &&
                                !std::isdigit(static_cast<unsigned char>(args[i + 1][1]));
      if (!inline_value && (i + 1 >= args.size() || next_is_flag)) {
        *err = fmt::format("MIOpenDriver flag {} (--{}) has no value", arg, flag->long_name);
        return false;
      }
      const std::string_view value = inline_value ? *inline_value : args[++i];
      given_[std::string(flag->long_name)] = {std::string(value), std::string(arg)};
    }
    return true;
  }

  [[nodiscard]] bool given(std::string_view name) const { return given_.count(std::string(name)) != 0; }

  [[nodiscard]] std::string str(std::string_view name) const {
    if (auto it = given_.find(std::string(name)); it != given_.end()) return it->second.value;
    for (const auto& f : kFlags)
      if (f.long_name == name) return std::string(f.default_value);
    return {};
  }

  bool integer(std::string_view name, int64_t* out, std::string* err) const {
    const std::string s = str(name);
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) {
      *err = fmt::format("MIOpenDriver flag {} value \"{}\": expected an integer", spelling(name), s);
      return false;
    }
    return true;
  }

  /// How the user wrote a flag, for messages: "-H" or "--in_h".
  [[nodiscard]] std::string spelling(std::string_view name) const {
    if (auto it = given_.find(std::string(name)); it != given_.end()) return it->second.spelling;
    return fmt::format("--{}", name);
  }

 private:
  struct Given {
    std::string value, spelling;
  };
  std::map<std::string, Given> given_;
};

bool parse_command(std::string_view cmd, DataType* type, std::string* err) {
  if (cmd == "conv") {
    *type = DataType::f32;
  } else if (cmd == "convfp16") {
    *type = DataType::f16;
  } else if (cmd == "convbfp16") {
    *type = DataType::bf16;
  } else {
    *err = fmt::format(
        "MIOpenDriver command \"{}\": expected conv, convfp16 or convbfp16 (int8 and fp8 are not "
        "modelled)",
        cmd);
    return false;
  }
  return true;
}

bool parse_direction(const DriverArgs& a, Direction* dir, std::string* err) {
  if (!a.given("forw")) {
    *dir = Direction::fwd;  // MIOpenDriver's default (0) runs all three; one problem is one direction
    return true;
  }
  int64_t f = 0;
  if (!a.integer("forw", &f, err)) return false;
  switch (f) {
    case 1:
      *dir = Direction::fwd;
      return true;
    case 2:
      *dir = Direction::bwd_data;
      return true;
    case 4:
      *dir = Direction::bwd_weights;
      return true;
    default: {
      const bool several = f == 0 || f == 3 || f == 5 || f == 6;
      *err =
          fmt::format("{} {}: {}; expected 1 (fwd), 2 (bwd-data) or 4 (bwd-weights)", a.spelling("forw"), f,
                      several ? "MIOpenDriver runs several directions for this value, a convprobe problem is "
                                "one direction: pick one"
                              : "not a direction");
      return false;
    }
  }
}

/// A layout flag not given is NCHW (NCDHW in 3-D), MIOpenDriver's default (driver/conv_driver.hpp
/// ParseCmdLineArgs, rocm-5.2.0 :447-473), and MIOpen's command log leaves out exactly the flags of NC(D)HW
/// tensors (src/driver_arguments.cpp): "--in_layout NHWC" alone is an NHWC input with NCHW weights and
/// output.
bool parse_layout(const DriverArgs& a, Layout* layout, std::string* err) {
  std::optional<Layout> chosen;
  std::string chosen_by;
  for (const char* name : {"in_layout", "out_layout", "fil_layout"}) {
    const std::string v = a.given(name) ? a.str(name) : "NCHW";
    const std::string described = a.given(name) ? fmt::format("{} \"{}\"", a.spelling(name), v)
                                                : fmt::format("{} not given (NCHW)", a.spelling(name));
    Layout l;
    if (v == "NCHW" || v == "NCDHW") {
      l = Layout::nchw;
    } else if (v == "NHWC" || v == "NDHWC") {
      l = Layout::nhwc;
    } else {
      *err = fmt::format("{} \"{}\": expected NCHW, NHWC, NCDHW or NDHWC", a.spelling(name), v);
      return false;
    }
    if (chosen && *chosen != l) {
      *err =
          fmt::format("{} differs from {}: convprobe uses one layout for all tensors", described, chosen_by);
      return false;
    }
    chosen = l;
    chosen_by = described;
  }
  *layout = chosen.value_or(Layout::nchw);
  return true;
}

/// MIOpenDriver's -z same: pad = max(k - (in % s ? in % s : s), 0) / 2, only without dilation or for 1x1.
void apply_pad_mode(const std::string& mode, Problem* p) {
  bool undilated = true, unit_filter = true;
  for (int a = 3 - p->spatial_dims; a < 3; ++a) {
    undilated = undilated && p->dilation[a] == 0;
    unit_filter = unit_filter && p->kernel[a] == 1;
  }
  if (!undilated && !unit_filter) return;
  for (int a = 3 - p->spatial_dims; a < 3; ++a) {
    if (mode == "valid") p->pad_begin[a] = p->pad_end[a] = 0;
    if (mode == "same" && p->stride[a] > 0) {
      const int64_t rem = p->in[a] % p->stride[a];
      // Saturating: the kernel is not validated yet (validate() names a bad one after this).
      p->pad_begin[a] = p->pad_end[a] =
          std::max<int64_t>(detail::sat_sub(p->kernel[a], rem == 0 ? p->stride[a] : rem), 0) / 2;
    }
  }
}

bool read_geometry(const DriverArgs& a, Problem* p, std::string* err) {
  struct Slot {
    const char* name;
    int64_t* field;
  };
  const Slot scalars[] = {
      {"batchsize", &p->mb}, {"in_channels", &p->ic}, {"out_channels", &p->oc}, {"group_count", &p->g}};
  for (const auto& s : scalars)
    if (!a.integer(s.name, s.field, err)) return false;
  const char* axes[] = {"d", "h", "w"};
  const int first = 3 - p->spatial_dims;
  for (int ax = first; ax < 3; ++ax) {
    const Slot per_axis[] = {{"in_", &p->in[ax]},
                             {"fil_", &p->kernel[ax]},
                             {"conv_stride_", &p->stride[ax]},
                             {"pad_", &p->pad_begin[ax]},
                             {"dilation_", &p->dilation[ax]}};
    for (const auto& s : per_axis) {
      if (!a.integer(std::string(s.name) + axes[ax], s.field, err)) return false;
    }
    p->pad_end[ax] = p->pad_begin[ax];  // MIOpenDriver pads the same on both sides
    const std::string dil = std::string("dilation_") + axes[ax];
    if (p->dilation[ax] < 1) {
      *err = fmt::format("{} {}: expected an integer >= 1 (MIOpen's dilation 1 means none)", a.spelling(dil),
                         p->dilation[ax]);
      return false;
    }
    p->dilation[ax] -= 1;  // MIOpen: 1 = none; benchdnn: 0 = none
  }
  return true;
}

}  // namespace

bool looks_like_miopen_driver(std::string_view t) {
  if (t.empty()) return false;
  if (t.front() == '-' || t.substr(0, 4) == "conv") return true;
  const std::string_view first = t.substr(0, t.find_first_of(" \t"));
  constexpr std::string_view kDriver = "MIOpenDriver";
  // A first word with a '"' in it is a descriptor whose quoted label starts there (mb1ic3ih8oc4n"MIOpenDriver
  // conv"), never a path: the router must not look into a label, or a printed problem would not read back.
  return first.find('"') == std::string_view::npos && first.size() >= kDriver.size() &&
         first.substr(first.size() - kDriver.size()) == kDriver;
}

bool parse_miopen_driver(std::string_view text, Problem* out, std::string* err) {
  const auto args = split_whitespace(text);
  size_t i = 0;
  if (i < args.size() && args[i].size() >= 12 && args[i].substr(args[i].size() - 12) == "MIOpenDriver") ++i;
  Problem p;
  if (i < args.size() && args[i].front() != '-') {
    if (!parse_command(args[i], &p.type, err)) return false;
    ++i;
  }
  DriverArgs a;
  if (!a.parse(args, i, err)) return false;

  int64_t spatial = 2;
  if (!a.integer("spatial_dim", &spatial, err)) return false;
  if (spatial != 2 && spatial != 3) {
    *err = fmt::format("{} {}: expected 2 or 3", a.spelling("spatial_dim"), spatial);
    return false;
  }
  p.spatial_dims = static_cast<int>(spatial);
  if (spatial == 2) {
    for (const char* name : {"in_d", "fil_d", "conv_stride_d", "pad_d", "dilation_d"}) {
      if (a.given(name)) {
        *err = fmt::format("{} is a 3-D flag but the spatial dimension is 2: add --spatial_dim 3 (-_ 3)",
                           a.spelling(name));
        return false;
      }
    }
  }
  if (a.str("mode") != "conv") {
    *err = fmt::format("{} \"{}\": expected conv (transposed convolution is not modelled)",
                       a.spelling("mode"), a.str("mode"));
    return false;
  }
  const std::string pad_mode = a.str("pad_mode");
  if (pad_mode != "default" && pad_mode != "same" && pad_mode != "valid") {
    *err = fmt::format("{} \"{}\": expected default, same or valid", a.spelling("pad_mode"), pad_mode);
    return false;
  }
  if (!parse_direction(a, &p.dir, err) || !parse_layout(a, &p.layout, err) || !read_geometry(a, &p, err)) {
    return false;
  }
  apply_pad_mode(pad_mode, &p);
  if (auto e = validate(p); !e.empty()) {
    *err = fmt::format("{} in MIOpenDriver line \"{}\"", e, text);
    return false;
  }
  *out = std::move(p);
  return true;
}

}  // namespace convprobe
