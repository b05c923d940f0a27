// The descriptor parser (benchdnn grammar, docs/problems.md). Two steps: lex the text into prefix words and
// key=value pairs, then resolve the pairs into a Problem with the "missing smaller dimension repeats the
// larger one" rule, begin and end padding (the end derived from oh/ow/od), and validate().
#include "problem/descriptor_parse.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "base/text.hpp"
#include "convprobe/problem.hpp"
#include "problem/checked_math.hpp"
#include "problem/miopen_driver.hpp"

namespace convprobe {

namespace {

// Keys in canonical order; the index is the slot in Fields.
constexpr std::string_view kKeys[] = {"g",  "mb", "ic", "id", "ih", "iw", "oc", "od", "oh", "ow", "kd",
                                      "kh", "kw", "sd", "sh", "sw", "pd", "ph", "pw", "dd", "dh", "dw"};
constexpr int kNumKeys = static_cast<int>(std::size(kKeys));
constexpr const char* kKeyList =
    "g, mb, ic, id, ih, iw, oc, od, oh, ow, kd, kh, kw, sd, sh, sw, pd, ph, pw, dd, dh, dw, n\"label\"";
constexpr const char* kPrefixHint = "prefixes fwd_, bwdd_, bwdw_, tf32_, f16_, bf16_, nhwc_ come first";

int key_index(std::string_view k) {
  for (int i = 0; i < kNumKeys; ++i)
    if (kKeys[i] == k) return i;
  return -1;
}

struct Fields {
  std::array<std::optional<int64_t>, kNumKeys> v;
  [[nodiscard]] const std::optional<int64_t>& get(std::string_view k) const { return v[key_index(k)]; }
};

struct PrefixWord {
  std::string_view word;
  int category;  // 0 direction, 1 type, 2 layout
  int value;
};
// Each word must be followed by "_", so "bwd_d" cannot match the start of "bwd_data_".
constexpr PrefixWord kPrefixes[] = {
    {"bwd_weights", 0, static_cast<int>(Direction::bwd_weights)},
    {"bwd_data", 0, static_cast<int>(Direction::bwd_data)},
    {"bwd_w", 0, static_cast<int>(Direction::bwd_weights)},
    {"bwd_d", 0, static_cast<int>(Direction::bwd_data)},
    {"bwdw", 0, static_cast<int>(Direction::bwd_weights)},
    {"bwdd", 0, static_cast<int>(Direction::bwd_data)},
    {"fwd", 0, static_cast<int>(Direction::fwd)},
    {"tf32", 1, static_cast<int>(DataType::tf32)},
    {"bf16", 1, static_cast<int>(DataType::bf16)},
    {"f32", 1, static_cast<int>(DataType::f32)},
    {"f16", 1, static_cast<int>(DataType::f16)},
    {"nchw", 2, static_cast<int>(Layout::nchw)},
    {"nhwc", 2, static_cast<int>(Layout::nhwc)},
};
constexpr const char* kCategoryName[] = {"direction", "data type", "layout"};

class Lexer {
 public:
  Lexer(std::string_view text, Problem* p, Fields* f) : text_(text), p_(p), f_(f) {}

  bool run(std::string* err) { return prefixes(err) && body(err); }

 private:
  std::string where(size_t pos) const { return fmt::format("at position {} in \"{}\"", pos + 1, text_); }

  bool prefixes(std::string* err) {
    std::array<std::string_view, 3> seen{};
    for (;;) {
      const PrefixWord* match = nullptr;
      for (const auto& w : kPrefixes) {
        const std::string_view rest = text_.substr(pos_);
        if (rest.size() > w.word.size() && rest.substr(0, w.word.size()) == w.word &&
            rest[w.word.size()] == '_') {
          match = &w;
          break;
        }
      }
      if (!match) return true;
      if (!seen[match->category].empty()) {
        *err = fmt::format("{} given twice (\"{}\" and \"{}\") in \"{}\"", kCategoryName[match->category],
                           seen[match->category], match->word, text_);
        return false;
      }
      seen[match->category] = match->word;
      if (match->category == 0) p_->dir = static_cast<Direction>(match->value);
      if (match->category == 1) p_->type = static_cast<DataType>(match->value);
      if (match->category == 2) p_->layout = static_cast<Layout>(match->value);
      pos_ += match->word.size() + 1;
    }
  }

  bool body(std::string* err) {
    if (pos_ >= text_.size()) {
      *err = fmt::format("empty descriptor \"{}\": expected keys such as mb1ic3ih224oc64kh3ph1", text_);
      return false;
    }
    while (pos_ < text_.size()) {
      if (text_[pos_] == '_') {
        ++pos_;  // group separator, as in benchdnn's "mb1_ic3ih224_oc64"
        continue;
      }
      const size_t key_pos = pos_;
      while (pos_ < text_.size() && std::islower(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      const std::string_view k = text_.substr(key_pos, pos_ - key_pos);
      if (k.empty()) {
        *err = fmt::format("unexpected character '{}' {}; expected a key ({})", text_[key_pos],
                           where(key_pos), kKeyList);
        return false;
      }
      if (k.front() == 'n') {  // the only key starting with n; "nfoo" is an unquoted label
        pos_ = key_pos + 1;
        if (!label(key_pos, err)) return false;
        continue;
      }
      const int idx = key_index(k);
      if (idx < 0) {
        *err = fmt::format("unknown key \"{}\" {}; expected one of {} ({})", k, where(key_pos), kKeyList,
                           kPrefixHint);
        return false;
      }
      if (!value(k, idx, err)) return false;
    }
    return true;
  }

  bool value(std::string_view k, int idx, std::string* err) {
    const size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-')
      ++pos_;  // accepted so validate() can name a negative value
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    const std::string_view digits = text_.substr(start, pos_ - start);
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || digits == "-" || end != digits.data() + digits.size()) {
      *err = fmt::format("key \"{}\" {}: expected an integer after it", k, where(start - k.size()));
      return false;
    }
    if (ec == std::errc::result_out_of_range) {
      *err = fmt::format("{}={} {}: expected a 64-bit integer", k, digits, where(start - k.size()));
      return false;
    }
    if (f_->v[idx]) {
      *err = fmt::format("key \"{}\" given twice ({}{} and {}{}) in \"{}\"", k, k, *f_->v[idx], k, v, text_);
      return false;
    }
    f_->v[idx] = v;
    return true;
  }

  bool label(size_t key_pos, std::string* err) {
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      *err = fmt::format("label {}: expected a quoted label, n\"...\"", where(key_pos));
      return false;
    }
    const size_t close = text_.find('"', pos_ + 1);
    if (close == std::string_view::npos) {
      *err = fmt::format("label {}: missing the closing '\"'", where(key_pos));
      return false;
    }
    if (close + 1 != text_.size()) {
      *err = fmt::format("unexpected text \"{}\" after the label {}; the label comes last",
                         text_.substr(close + 1), where(close + 1));
      return false;
    }
    p_->label = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  Problem* p_;
  Fields* f_;
};

/// Which spatial axes a descriptor uses: 3-D when any depth key is given, else 2-D when any height key is,
/// else 1-D (width only, as benchdnn's `ic16oc16iw5kw1`).
int spatial_dims_of(const Fields& f) {
  const auto any = [&f](char axis) {
    for (char group : {'i', 'o', 'k', 's', 'p', 'd'}) {
      if (f.get(std::string{group, axis})) return true;
    }
    return false;
  };
  if (any('d')) return 3;
  return any('h') || !any('w') ? 2 : 1;
}

/// The axis whose values a missing key of `axis` repeats ("square"), or -1: w repeats h, and in a 3-D
/// problem h repeats d.
int parent_axis(int axis, int dims) {
  if (axis == 2 && dims >= 2) return 1;
  if (axis == 1 && dims == 3) return 0;
  return -1;
}

bool axis_has_keys(const Fields& f, int axis) {
  static constexpr char kAxis[] = {'d', 'h', 'w'};
  for (char group : {'i', 'o', 'k', 's', 'p', 'd'}) {
    if (f.get(std::string{group, kAxis[axis]})) return true;
  }
  return false;
}

/// The padding of one axis, benchdnn's way: ph is the padding before; without an output size the padding
/// after equals it; with oh the padding after is what reaches oh ((oh - 1) * sh - ih + effective kernel -
/// ph), and without ph, ph is half of all the padding oh needs, rounded toward zero (the rest goes after).
void resolve_padding(const std::optional<int64_t>& pad, const std::optional<int64_t>& out, int64_t inherited,
                     int axis, Problem* p) {
  if (!out) {
    p->pad_begin[axis] = p->pad_end[axis] = pad.value_or(inherited);
    return;
  }
  const int64_t total = detail::sat_add(
      detail::sat_sub(detail::sat_mul(detail::sat_add(*out, -1), p->stride[axis]), p->in[axis]),
      p->effective_kernel(axis));
  p->pad_begin[axis] = pad ? *pad : total / 2;  // C++ division rounds toward zero, as benchdnn's does
  p->pad_end[axis] = detail::sat_sub(total, p->pad_begin[axis]);
}

/// One axis from its keys; an axis without any key is a copy of its parent (benchdnn: "if smaller dimensions
/// are not specified => square"). An axis with its own input and kernel keys stands on its own where benchdnn
/// would accept the line (2-D; 3-D with keys on both h and w), as benchdnn reads it: a missing stride,
/// dilation or padding takes the default (1, 0, 0 or derived from the output size), never the parent's.
/// Otherwise a missing key repeats the parent axis's value (or takes the default): `ih224iw112kh3ph1` is a
/// 3x3 filter padded 1 on every side (benchdnn refuses that line: no kw). With OwnAxisRule::copy_parent
/// (the rule before, for keys stored by an older convprobe) a missing key always repeats the parent's value.
void resolve_axis(const Fields& f, int axis, int dims, OwnAxisRule rule, Problem* p) {
  static constexpr char kAxis[] = {'d', 'h', 'w'};
  int parent = parent_axis(axis, dims);
  if (parent >= 0 && !axis_has_keys(f, axis)) {
    p->in[axis] = p->in[parent], p->kernel[axis] = p->kernel[parent], p->stride[axis] = p->stride[parent];
    p->dilation[axis] = p->dilation[parent], p->pad_begin[axis] = p->pad_begin[parent];
    p->pad_end[axis] = p->pad_end[parent];
    return;
  }
  const bool benchdnn_form = dims == 2 || (axis_has_keys(f, 1) && axis_has_keys(f, 2));
  if (rule == OwnAxisRule::benchdnn_defaults && benchdnn_form && f.get(std::string{'i', kAxis[axis]}) &&
      f.get(std::string{'k', kAxis[axis]}))
    parent = -1;
  const auto value = [&](char group, int64_t def, const std::array<int64_t, 3>& resolved) {
    return f.get(std::string{group, kAxis[axis]}).value_or(parent >= 0 ? resolved[parent] : def);
  };
  p->in[axis] = value('i', 1, p->in);
  p->kernel[axis] = value('k', 1, p->kernel);
  p->stride[axis] = value('s', 1, p->stride);
  p->dilation[axis] = value('d', 0, p->dilation);
  resolve_padding(f.get(std::string{'p', kAxis[axis]}), f.get(std::string{'o', kAxis[axis]}),
                  parent >= 0 ? p->pad_begin[parent] : 0, axis, p);
}

/// No backend crops more than a stride's slack at the end (oneDNN: padding_r + stride > 0), and a larger
/// crop is the same convolution on a smaller input: say so instead of running something nothing accepts.
bool check_end_padding(const Fields& f, const Problem& p, std::string_view text, std::string* err) {
  static constexpr char kAxis[] = {'d', 'h', 'w'};
  for (int a = 3 - p.spatial_dims; a < 3; ++a) {
    const int64_t end = p.canonical_pad_end(a);
    if (detail::sat_add(end, p.stride[a]) > 0) continue;
    const auto& o = f.get(std::string{'o', kAxis[a]});
    *err = fmt::format(
        "o{}={} with p{}={} means an end padding of {} on {} (cropping {} rows); expected an end padding > "
        "-s{} (= -{}): no backend crops more than the stride's slack, use a smaller i{} instead (in \"{}\")",
        kAxis[a], o.value_or(p.out()[a]), kAxis[a], p.pad_begin[a], end,
        kAxis[a] == 'w'   ? "width"
        : kAxis[a] == 'h' ? "height"
                          : "depth",
        detail::sat_sub(0, end), kAxis[a], p.stride[a], kAxis[a], text);
    return false;
  }
  return true;
}

bool resolve(const Fields& f, std::string_view text, OwnAxisRule rule, Problem* p, std::string* err) {
  p->spatial_dims = spatial_dims_of(f);
  for (const char* required : {"ic", "oc"}) {
    if (!f.get(required)) {
      *err = fmt::format("missing {} in \"{}\": expected {}<count>", required, text, required);
      return false;
    }
  }
  static constexpr const char* kSizeKey[] = {"iw", "ih", "id"};
  if (!f.get(kSizeKey[p->spatial_dims - 1])) {
    *err = p->spatial_dims == 3
               ? fmt::format(
                     "missing id in \"{}\": a 3-D problem (a d-key is given) needs the input depth id", text)
               : fmt::format(
                     "missing ih in \"{}\": expected the input height ih<size> (or only w-keys, iw<size>, "
                     "for a 1-D problem)",
                     text);
    return false;
  }
  // An output size sets the padding; a non-positive one can only be a mistake (benchdnn: "must be positive").
  for (const char* out_key : {"od", "oh", "ow"}) {
    if (const auto& o = f.get(out_key); o && *o < 1) {
      *err = fmt::format("{}={}: expected a positive integer (an output size) in \"{}\"", out_key, *o, text);
      return false;
    }
  }
  p->g = f.get("g").value_or(1);
  p->mb = f.get("mb").value_or(2);
  p->ic = *f.get("ic");
  p->oc = *f.get("oc");
  // The axes the problem does not use hold the neutral extents (Problem's defaults leave the height at 0).
  for (int a = 0; a < 3 - p->spatial_dims; ++a) {
    p->in[a] = p->kernel[a] = p->stride[a] = 1;
    p->pad_begin[a] = p->pad_end[a] = p->dilation[a] = 0;
  }
  for (int a = 3 - p->spatial_dims; a < 3; ++a) resolve_axis(f, a, p->spatial_dims, rule, p);
  if (auto e = validate(*p); !e.empty()) {
    *err = fmt::format("{} in \"{}\"", e, text);
    return false;
  }
  if (!check_end_padding(f, *p, text, err)) return false;
  for (int a = 0; a < 3; ++a) p->pad_end[a] = p->canonical_pad_end(a);
  return true;
}

bool parse_descriptor(std::string_view text, OwnAxisRule rule, Problem* out, std::string* err) {
  Problem p;
  Fields f;
  Lexer lexer(text, &p, &f);
  if (!lexer.run(err) || !resolve(f, text, rule, &p, err)) return false;
  *out = std::move(p);
  return true;
}

}  // namespace

bool parse_problem(std::string_view text, Problem* out, std::string* err) {
  const std::string_view t = trim(text);
  if (t.empty()) {
    *err = "empty problem: expected a descriptor such as mb1ic3ih224oc64kh3ph1, or MIOpenDriver conv flags";
    return false;
  }
  if (looks_like_miopen_driver(t)) return parse_miopen_driver(t, out, err);
  return parse_descriptor(t, OwnAxisRule::benchdnn_defaults, out, err);
}

bool parse_descriptor_with_rule(std::string_view text, OwnAxisRule rule, Problem* out, std::string* err) {
  const std::string_view t = trim(text);
  if (t.empty()) {
    *err = "empty problem: expected a descriptor such as mb1ic3ih224oc64kh3ph1";
    return false;
  }
  return parse_descriptor(t, rule, out, err);
}

}  // namespace convprobe
