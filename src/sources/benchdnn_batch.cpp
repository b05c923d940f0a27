// The batch file reader: words, options, --batch includes and descriptors. What an option's values mean is
// benchdnn_settings.cpp; finding and reading files is benchdnn_batch_file.cpp.
#include "sources/benchdnn_batch.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

#include "base/text.hpp"
#include "convprobe/problem.hpp"
#include "sources/benchdnn_settings.hpp"

namespace convprobe::sources {

namespace {

/// How deep --batch files may nest below the first, and how many inclusions one read may make: bounds that
/// no benchdnn input file comes near, so that files including each other in a growing tree still end.
constexpr size_t kMaxDepth = 16;
constexpr int64_t kMaxIncludes = 100000;

struct Word {
  std::string text;
  int64_t line;  ///< where the word starts, 1-based
};

/// The words of a batch file as benchdnn's batch() reads them (oneDNN tests/benchdnn/common.cpp): separated
/// by blanks; a word starting with '#' comments out the rest of its line; a word ending in '\' is joined with
/// the next word (without the '\'), so an option's list may go on over several lines.
std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> out;
  bool continued = false;
  int64_t line = 1;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\n') ++line;
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    const size_t end = std::find_if(text.begin() + i, text.end(), is_space) - text.begin();
    const std::string_view word = text.substr(i, end - i);
    i = end;
    if (word.front() == '#') {
      i = std::min(text.find('\n', i), text.size());
      continue;
    }
    if (continued && !out.empty()) {
      out.back().text.append(word);
    } else {
      out.push_back({std::string(word), line});
    }
    std::string& last = out.back().text;
    continued = last.back() == '\\';
    if (continued) last.pop_back();
    if (last.empty()) out.pop_back();
  }
  return out;
}

/// `name` without the quotes benchdnn allows around it (n"resnet_50:res2a").
std::string unquote(std::string_view name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  return std::string(name);
}

/// Reads one batch file and those it includes, with one state for all of them as benchdnn has.
class BatchReader {
 public:
  BatchReader(const BatchLoader& load, Tally* tally) : load_(load), tally_(tally) {}

  bool read(std::string_view text, const std::string& origin, std::string* err) {
    stack_.push_back(origin);
    for (const Word& w : words_of(text)) {
      const std::string where = fmt::format("{}:{}", origin, w.line);
      if (w.text.starts_with("--batch=") || w.text == "--batch") {
        if (!include(std::string_view(w.text).substr(std::min<size_t>(8, w.text.size())), origin, where,
                     err)) {
          return false;
        }
      } else if (w.text.front() == '-') {
        option(w.text, where);
      } else {
        descriptor(w.text, where);
      }
    }
    stack_.pop_back();
    return true;
  }

 private:
  bool include(std::string_view name, const std::string& from, const std::string& where, std::string* err) {
    const std::string head = fmt::format("{}: --batch={}", where, name);
    if (stack_.size() > kMaxDepth) {
      *err = fmt::format("{}: batch files nested deeper than {}", head, kMaxDepth);
      return false;
    }
    if (++includes_ > kMaxIncludes) {
      *err = fmt::format("{}: more than {} --batch inclusions in one read", head, kMaxIncludes);
      return false;
    }
    std::string text, origin, why;
    if (name.empty()) {
      *err = head + ": no file named";
      return false;
    }
    if (!load_(std::string(name), from, &text, &origin, &why)) {
      *err = fmt::format("{}: {}", head, why);
      return false;
    }
    if (std::find(stack_.begin(), stack_.end(), origin) != stack_.end()) {
      *err =
          fmt::format("{}: {} is already being read, so the files include each other in a cycle ({} -> {})",
                      head, origin, join(stack_, " -> "), origin);
      return false;
    }
    return read(text, origin, err);
  }

  void option(const std::string& word, const std::string& where) {
    if (word == "--reset") {
      settings_.reset();
      return;
    }
    const size_t eq = word.find('=');
    const std::string flag = word.substr(0, eq);
    const std::string_view name = std::string_view(flag).substr(flag.starts_with("--") ? 2 : 0);
    if (benchdnn::Settings::models(name)) {
      if (eq == std::string::npos) {
        tally_->reject(where, fmt::format("{}: expected a value, {}=VALUE[,VALUE...]", word, word));
        return;
      }
      for (const std::string& message : settings_.set(name, std::string_view(word).substr(eq + 1))) {
        tally_->reject(where, message);
      }
      return;
    }
    if (warned_.insert(flag).second) {
      tally_->warn(
          fmt::format("{}: benchdnn option {} is not modelled: convprobe reads the descriptors as if "
                      "it were absent",
                      where, flag));
    }
  }

  void descriptor(const std::string& word, const std::string& where) {
    // No descriptor key has an 'n' in it (g mb ic id ih iw oc od oh ow kd kh kw sd sh sw pd ph pw dd dh dw),
    // so the first 'n' starts the name, quoted or not (doc/knobs_desc.md).
    const size_t n = word.find('n');
    std::string_view keys = std::string_view(word).substr(0, n);
    while (keys.ends_with('_')) keys.remove_suffix(1);
    if (keys.empty()) {
      tally_->reject(where, fmt::format("\"{}\": a name without a descriptor", word));
      return;
    }
    Problem p;
    std::string err;
    if (!parse_problem(keys, &p, &err)) {
      tally_->reject(where, err);
      return;
    }
    if (p.dir != Direction::fwd || p.type != DataType::f32 || p.layout != Layout::nchw) {
      tally_->reject(where, fmt::format("\"{}\": convprobe's direction, type or layout prefix; in a benchdnn "
                                        "batch file --dir, --dt and the tags say them",
                                        word));
      return;
    }
    if (n != std::string::npos) p.label = unquote(std::string_view(word).substr(n + 1));
    settings_.expand(p, where, tally_, &reported_);
  }

  const BatchLoader& load_;
  Tally* tally_;
  benchdnn::Settings settings_;
  std::vector<std::string> stack_;  ///< the files being read, outermost first
  std::set<std::string> warned_;    ///< options warned about
  std::set<std::string> reported_;  ///< rejections made once per read
  int64_t includes_ = 0;
};

/// The conv driver's own options and the commonest global ones (doc/driver_conv.md, doc/knobs_common.md).
bool is_benchdnn_option(std::string_view word) {
  if (word == "--reset") return true;
  const size_t eq = word.find('=');
  if (!word.starts_with("--") || eq == std::string_view::npos) return false;
  const std::string_view name = word.substr(2, eq - 2);
  for (std::string_view known :
       {"dir", "dt", "cfg", "batch", "mb", "stag", "wtag", "dtag", "alg", "bia-dt", "strides", "match",
        "impl", "skip-impl", "mode", "engine", "ctx-init", "ctx-exe", "perf-template"}) {
    if (name == known) return true;
  }
  return name.starts_with("attr-");
}

}  // namespace

bool looks_like_benchdnn_batch(std::string_view head) {
  const auto words = words_of(head);
  return std::any_of(words.begin(), words.end(), [](const Word& w) { return is_benchdnn_option(w.text); });
}

bool read_benchdnn_batch_text(std::string_view text, const std::string& origin, const BatchLoader& load,
                              Tally* tally, std::string* err) {
  BatchReader reader(load, tally);
  return reader.read(text, origin, err);
}

}  // namespace convprobe::sources
