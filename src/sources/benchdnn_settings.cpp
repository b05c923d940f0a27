// How each modelled option's values map onto a convprobe problem. The bias of FWD_B and BWD_WB is left out
// (convprobe probes the convolution alone), FWD_I is the forward convolution, and a tag of `any` lets the
// library pick its own layout for that tensor, which is what convprobe's backends do for an nchw problem.
#include "sources/benchdnn_settings.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "base/text.hpp"

namespace convprobe::sources::benchdnn {

namespace {

/// More values than any benchdnn input file lists (oneDNN's longest is 18, an --dt list): bounds that keep a
/// descriptor's cross product small. Only --mb can have many values that are all different problems, so it
/// has the tighter one (3 directions x 4 types x 2 layouts x 16 batches at most).
constexpr size_t kMaxValues = 64;
constexpr size_t kMaxBatchSizes = 16;

template <typename T>
Choice<T> good(std::string_view text, T value) {
  return {std::string(text), value, ""};
}

template <typename T>
Choice<T> bad(std::string_view text, std::string why) {
  return {std::string(text), std::nullopt, std::move(why)};
}

/// benchdnn compares directions ignoring case (common.cpp str2dir).
Choice<Direction> read_dir(std::string_view text) {
  const std::string d = lower(text);
  if (d == "fwd_b" || d == "fwd_d" || d == "fwd_i") return good(text, Direction::fwd);
  if (d == "bwd_d") return good(text, Direction::bwd_data);
  if (d == "bwd_w" || d == "bwd_wb") return good(text, Direction::bwd_weights);
  if (d == "bwd_dw") {
    return bad<Direction>(text,
                          "data and weights gradients in one primitive, which benchdnn's conv driver refuses "
                          "(dnnl_invalid_arguments); a convprobe problem is one direction");
  }
  return bad<Direction>(text, "not a direction; expected FWD_B, FWD_D, FWD_I, BWD_D, BWD_W or BWD_WB");
}

std::optional<DataType> convprobe_type(std::string_view name) {
  if (name == "f32") return DataType::f32;
  if (name == "f16") return DataType::f16;
  if (name == "bf16") return DataType::bf16;
  return std::nullopt;
}

/// One type for every tensor, or three (src:wei:dst) as benchdnn's conv driver takes them (verify_input).
Choice<DataType> read_dt(std::string_view text) {
  const auto parts = split_list(text, ':');
  if (parts.size() != 1 && parts.size() != 3) {
    return bad<DataType>(text, "expected one data type or three (src:wei:dst)");
  }
  for (std::string_view part : parts) {
    if (!convprobe_type(part)) {
      return bad<DataType>(text, fmt::format("\"{}\" is not a type convprobe probes (f32, f16, bf16)", part));
    }
  }
  if (std::any_of(parts.begin(), parts.end(), [&](std::string_view p) { return p != parts[0]; })) {
    return bad<DataType>(text,
                         "src, weights and dst differ; convprobe uses one storage type for all tensors");
  }
  return good(text, *convprobe_type(parts[0]));
}

/// The older --cfg (doc/driver_conv.md, "Precision Configurations"): only the single-type ones fit.
Choice<DataType> read_cfg(std::string_view text) {
  if (text == "f32" || text == "f32_wino") return good(text, DataType::f32);
  if (text == "f16") return good(text, DataType::f16);
  if (text == "bf16bf16bf16") return good(text, DataType::bf16);
  return bad<DataType>(text,
                       "not a configuration of one type for all tensors; convprobe probes f32, f32_wino, "
                       "f16 and bf16bf16bf16");
}

/// --attr-fpmath=MODE[:APPLY_TO_INT] (doc/knobs_attr.md): tf32 is convprobe's tf32 type for f32 data.
Choice<bool> read_fpmath(std::string_view text) {
  const std::string_view mode = text.substr(0, text.find(':'));
  if (mode == "strict") return good(text, false);
  if (mode == "tf32") return good(text, true);
  if (mode == "bf16" || mode == "f16" || mode == "any") {
    return bad<bool>(text, "math in a lower precision than the data; convprobe models strict and tf32 only");
  }
  return bad<bool>(text, "not a math mode; expected strict, tf32, bf16, f16 or any");
}

/// Plain tags (doc/knobs_tag.md): meta-tags abx/axb, letter tags and their former names. Weights add their
/// own names (oihw, ohwi) and the grouped forms (goihw, gohwi, and abxc, the meta-tag of gohwi); a grouped
/// letter tag such as abdec is left out, since without the group count it reads as another layout too.
Choice<TagLayout> read_tag(std::string_view text, bool weights) {
  static constexpr std::string_view kPlain[] = {"abx", "abc", "abcd", "abcde", "ncw", "nchw", "ncdhw"};
  static constexpr std::string_view kLast[] = {"axb", "acb", "acdb", "acdeb", "nwc", "nhwc", "ndhwc"};
  static constexpr std::string_view kPlainWeights[] = {"abcdef", "oiw",   "oihw",  "oidhw",
                                                       "goiw",   "goihw", "goidhw"};
  static constexpr std::string_view kLastWeights[] = {"owi",  "ohwi",  "odhwi", "abxc",
                                                      "gowi", "gohwi", "godhwi"};
  auto in = [&](const auto& names) {
    return std::find(std::begin(names), std::end(names), text) != std::end(names);
  };
  if (text == "any") return good(text, TagLayout::any);
  if (in(kPlain) || (weights && in(kPlainWeights))) return good(text, TagLayout::nchw);
  if (in(kLast) || (weights && in(kLastWeights))) return good(text, TagLayout::nhwc);
  return bad<TagLayout>(text,
                        "not a plain NCHW or NHWC layout (any, abx, axb, nchw, nhwc, ...); convprobe does "
                        "not probe blocked or other layouts");
}

Choice<int64_t> read_mb(std::string_view text) {
  int64_t mb = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mb);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || mb < 0) {
    return bad<int64_t>(text, "expected a batch size >= 0 (0: the descriptor's own)");
  }
  return good(text, mb);
}

/// Replaces `list` with `value`'s items (the defaults when it is empty), each value once, and returns a
/// message for each one convprobe cannot express. A list longer than `max_values` becomes one value convprobe
/// cannot express, so the descriptors under it are skipped rather than read with other settings.
template <typename T, typename Read>
std::vector<std::string> assign(std::vector<Choice<T>>* list, const std::vector<Choice<T>>& defaults,
                                std::string_view name, std::string_view value, Read read,
                                size_t max_values = kMaxValues) {
  if (value.empty()) {
    *list = defaults;
    return {};
  }
  const auto items = split_list(value, ',');
  if (items.size() > max_values) {
    const std::string text = fmt::format("({} values)", items.size());
    const std::string why = fmt::format("more values than convprobe reads in one list ({})", max_values);
    *list = {bad<T>(text, why)};
    return {fmt::format("--{}: {} values: {}", name, items.size(), why)};
  }
  std::vector<Choice<T>> out;
  std::vector<std::string> messages;
  for (std::string_view item : items) {
    Choice<T> c = read(item);
    const bool seen = std::any_of(out.begin(), out.end(), [&](const Choice<T>& o) {
      return c.value ? o.value == c.value : o.text == c.text;
    });
    if (seen) continue;
    if (!c.value) messages.push_back(fmt::format("--{}={}: {}", name, c.text, c.why));
    out.push_back(std::move(c));
  }
  *list = std::move(out);
  return messages;
}

/// Skip kinds name what the value is ("benchdnn data type u8:s8:s32"), since --dt and --cfg set the same
/// list.
template <typename T>
void skip_each(const std::vector<Choice<T>>& list, std::string_view what, Tally* tally) {
  for (const auto& c : list) {
    if (!c.value) tally->skip(fmt::format("benchdnn {} {}", what, c.text));
  }
}

/// The one layout of the tensors whose tags say one (`any` says none); empty when two differ.
std::optional<TagLayout> combine(std::initializer_list<TagLayout> tags) {
  TagLayout out = TagLayout::any;
  for (TagLayout t : tags) {
    if (t == TagLayout::any) continue;
    if (out != TagLayout::any && out != t) return std::nullopt;
    out = t;
  }
  return out;
}

}  // namespace

bool Settings::models(std::string_view name) {
  for (std::string_view known : {"dir", "dt", "cfg", "attr-fpmath", "stag", "wtag", "dtag", "mb"}) {
    if (name == known) return true;
  }
  return false;
}

std::vector<std::string> Settings::set(std::string_view name, std::string_view value) {
  const Settings defaults;
  if (name == "dir") return assign(&dir_, defaults.dir_, name, value, read_dir);
  if (name == "dt") return assign(&dt_, defaults.dt_, name, value, read_dt);
  if (name == "cfg") return assign(&dt_, defaults.dt_, name, value, read_cfg);
  if (name == "attr-fpmath") return assign(&tf32_, defaults.tf32_, name, value, read_fpmath);
  if (name == "mb") return assign(&mb_, defaults.mb_, name, value, read_mb, kMaxBatchSizes);
  auto activation = [](std::string_view t) { return read_tag(t, false); };
  if (name == "stag") return assign(&stag_, defaults.stag_, name, value, activation);
  if (name == "dtag") return assign(&dtag_, defaults.dtag_, name, value, activation);
  if (name == "wtag")
    return assign(&wtag_, defaults.wtag_, name, value, [](std::string_view t) { return read_tag(t, true); });
  return {};
}

void Settings::expand(const Problem& desc, const std::string& where, Tally* tally,
                      std::set<std::string>* reported) const {
  skip_inexpressible(tally);
  const std::vector<DataType> types = this->types();
  const std::vector<Layout> layouts = this->layouts(where, tally, reported);
  for (const auto& dir : dir_) {
    for (DataType type : types) {
      for (Layout layout : layouts) {
        for (const auto& mb : mb_) {
          if (!dir.value || !mb.value) continue;
          Problem p = desc;
          p.dir = *dir.value;
          p.type = type;
          p.layout = layout;
          if (*mb.value != 0) p.mb = *mb.value;
          if (const std::string e = validate(p); !e.empty()) {
            const std::string why = *mb.value != 0 ? fmt::format("{} (with --mb={})", e, *mb.value) : e;
            if (reported->insert(where + "\n" + why).second) tally->reject(where, why);
            continue;
          }
          tally->add(std::move(p), where, 0);
        }
      }
    }
  }
}

std::vector<DataType> Settings::types() const {
  std::vector<DataType> out;
  for (const auto& dt : dt_) {
    for (const auto& tf32 : tf32_) {
      if (!dt.value || !tf32.value) continue;
      // oneDNN's fpmath mode changes f32 computations only.
      const DataType t = *dt.value == DataType::f32 && *tf32.value ? DataType::tf32 : *dt.value;
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
  }
  return out;
}

std::vector<Layout> Settings::layouts(const std::string& where, Tally* tally,
                                      std::set<std::string>* reported) const {
  std::vector<Layout> out;
  for (const auto& s : stag_) {
    for (const auto& w : wtag_) {
      for (const auto& d : dtag_) {
        if (!s.value || !w.value || !d.value) continue;
        const auto one = combine({*s.value, *w.value, *d.value});
        if (!one) {
          const std::string tags = fmt::format("--stag={} --wtag={} --dtag={}", s.text, w.text, d.text);
          tally->skip("benchdnn mixed layouts " + tags);
          if (reported->insert(tags).second) {
            tally->reject(where, tags +
                                     ": tensors in different layouts; convprobe uses one layout for all "
                                     "tensors (the descriptors run with these tags are skipped)");
          }
          continue;
        }
        const Layout l = *one == TagLayout::nhwc ? Layout::nhwc : Layout::nchw;
        if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
      }
    }
  }
  return out;
}

void Settings::skip_inexpressible(Tally* tally) const {
  skip_each(dir_, "direction", tally);
  skip_each(dt_, "data type", tally);
  skip_each(tf32_, "fpmath mode", tally);
  skip_each(stag_, "src tag", tally);
  skip_each(wtag_, "weights tag", tally);
  skip_each(dtag_, "dst tag", tally);
  skip_each(mb_, "mb", tally);
}

}  // namespace convprobe::sources::benchdnn
