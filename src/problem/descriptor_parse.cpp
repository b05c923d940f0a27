// The descriptor parser (benchdnn grammar, docs/problems.md). Two steps: lex the text into prefix words and
// key=value pairs, then resolve the pairs into a Problem with the "missing smaller dimension repeats the
// larger one" rule, derived padding from oh/ow/od, and validate().
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

/// Fill one {d, h, w} group: a missing w repeats h; a missing h repeats d when d was given (3-D), else def.
std::array<int64_t, 3> resolve_group(const Fields& f, char prefix, int64_t def, int64_t def_2d_depth,
                                     bool three_d) {
  const auto& d = f.get(std::string{prefix, 'd'});
  const auto& h = f.get(std::string{prefix, 'h'});
  const auto& w = f.get(std::string{prefix, 'w'});
  std::array<int64_t, 3> r{};
  r[0] = three_d ? d.value_or(def) : def_2d_depth;
  r[1] = h ? *h : (three_d && d ? *d : def);
  r[2] = w ? *w : r[1];
  return r;
}

/// With oh given and ph not, ph is the smallest padding that reaches oh: ceil(((oh - 1) * sh - ih + eff. kh)
/// / 2). (benchdnn rounds down, which misses e.g. ResNet's conv1 ih224 kh7 sh2 oh112.)
void derive_pads(const Fields& f, bool three_d, Problem* p) {
  static constexpr const char* kOut[] = {"od", "oh", "ow"};
  static constexpr const char* kPad[] = {"pd", "ph", "pw"};
  std::array<bool, 3> known{};
  for (int a = three_d ? 0 : 1; a < 3; ++a) {
    known[a] = f.get(kPad[a]).has_value();
    const auto& o = f.get(kOut[a]);
    if (known[a] || !o) continue;
    // Saturating: o, i and k are not validated yet and may be any 64-bit value (validate() names them).
    const int64_t span = detail::sat_add(detail::sat_mul(detail::sat_add(*o, -1), p->stride[a]),
                                         detail::sat_sub(p->effective_kernel(a), p->in[a]));
    // ceil: the smallest pad reaching o
    p->pad[a] = std::max<int64_t>(0, detail::floor_div(detail::sat_add(span, 1), 2));
    known[a] = true;
  }
  // A pad neither given nor derived repeats the larger axis's pad, as resolve_group does.
  if (!known[1] && three_d && known[0]) p->pad[1] = p->pad[0];
  if (!known[2]) p->pad[2] = p->pad[1];
}

bool check_outputs(const Fields& f, const Problem& p, std::string_view text, std::string* err) {
  static constexpr const char* kOut[] = {"od", "oh", "ow"};
  static constexpr char kAxis[] = {'d', 'h', 'w'};
  const auto out = p.out();
  for (int a = 0; a < 3; ++a) {
    const auto& o = f.get(kOut[a]);
    if (!o || *o == out[a]) continue;
    *err = fmt::format(
        "{}={} does not match the computed output {} (i{}={} k{}={} s{}={} p{}={} d{}={}) in \"{}\"", kOut[a],
        *o, out[a], kAxis[a], p.in[a], kAxis[a], p.kernel[a], kAxis[a], p.stride[a], kAxis[a], p.pad[a],
        kAxis[a], p.dilation[a], text);
    return false;
  }
  return true;
}

bool resolve(const Fields& f, std::string_view text, Problem* p, std::string* err) {
  static constexpr const char* kDepthKeys[] = {"id", "od", "kd", "sd", "pd", "dd"};
  bool three_d = false;
  for (const char* k : kDepthKeys) three_d = three_d || f.get(k).has_value();
  p->spatial_dims = three_d ? 3 : 2;
  for (const char* required : {"ic", "oc"}) {
    if (!f.get(required)) {
      *err = fmt::format("missing {} in \"{}\": expected {}<count>", required, text, required);
      return false;
    }
  }
  const char* size_key = three_d ? "id" : "ih";
  if (!f.get(size_key)) {
    *err = three_d
               ? fmt::format(
                     "missing id in \"{}\": a 3-D problem (a d-key is given) needs the input depth id", text)
               : fmt::format("missing ih in \"{}\": expected the input height ih<size>", text);
    return false;
  }
  p->g = f.get("g").value_or(1);
  p->mb = f.get("mb").value_or(2);
  p->ic = *f.get("ic");
  p->oc = *f.get("oc");
  p->in = resolve_group(f, 'i', 1, 1, three_d);
  p->kernel = resolve_group(f, 'k', 1, 1, three_d);
  p->stride = resolve_group(f, 's', 1, 1, three_d);
  p->dilation = resolve_group(f, 'd', 0, 0, three_d);
  p->pad = resolve_group(f, 'p', 0, 0, three_d);
  derive_pads(f, three_d, p);
  // Validate before the output check, so a bad stride or kernel is named as such.
  if (auto e = validate(*p); !e.empty()) {
    *err = fmt::format("{} in \"{}\"", e, text);
    return false;
  }
  return check_outputs(f, *p, text, err);
}

bool parse_descriptor(std::string_view text, Problem* out, std::string* err) {
  Problem p;
  Fields f;
  Lexer lexer(text, &p, &f);
  if (!lexer.run(err) || !resolve(f, text, &p, err)) return false;
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
  return parse_descriptor(t, out, err);
}

}  // namespace convprobe
