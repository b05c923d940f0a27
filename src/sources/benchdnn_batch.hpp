// oneDNN benchdnn conv batch files as a source of problems (docs/problems.md, "From benchdnn batch files"):
//   --reset --dt=f32 --mb=2
//   --dir=FWD_B,BWD_D --batch=shapes_resnet_50      # includes another file
//   --stag=axb --dtag=axb mb50ic64ih56oc64oh56kh3ph1n"resnet_50:res2a_branch2b*3"
// Read as benchdnn reads them (oneDNN tests/benchdnn/common.cpp batch(), conv/bench_conv.cpp): words
// separated by blanks, a word starting with '#' comments out the rest of its line, a word ending in '\'
// continues in the next; options set the state for the descriptors after them, in this file and in those it
// includes and after them (benchdnn keeps one state), and a descriptor stands for one problem per combination
// of the options' values (sources/benchdnn_settings.hpp).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sources/tally.hpp"

namespace convprobe::sources {

/// True when `head` (a file's first few KiB) holds benchdnn conv options (--dir=, --dt=, --cfg=, --batch=,
/// --reset, ...), the mark of a batch file rather than a problems file.
[[nodiscard]] bool looks_like_benchdnn_batch(std::string_view head);

/// Finds the file --batch=`name` names in the file `from` (an origin given to the reader or returned by an
/// earlier call): sets its text and its origin, the name its labels and messages use and by which cycles are
/// found. False with *err when there is no such file or it cannot be read.
using BatchLoader = std::function<bool(const std::string& name, const std::string& from, std::string* text,
                                       std::string* origin, std::string* err)>;

/// Reads the batch file `text` (named `origin`), loading included files through `load`. Every problem goes to
/// `tally` without runs (counts unknown: a batch file is not a program's run), labelled by the descriptor's
/// name or "<file>:<line>". Options convprobe does not model (--attr-post-ops, --alg, --match, --skip-impl,
/// --mode, ...) give one warning each; a value convprobe cannot express (--dt=u8:s8:s32, --dir=BWD_DW,
/// --stag=aBcd16b) or a descriptor it cannot read is rejected naming its file and line. False with *err only
/// when an included file cannot be loaded, files include each other in a cycle, or nesting is deeper than 16;
/// what was read before stays in the tally.
bool read_benchdnn_batch_text(std::string_view text, const std::string& origin, const BatchLoader& load,
                              Tally* tally, std::string* err);

/// The batch file at `path`, included files found next to the file that includes them, else next to `path`.
/// False with *err for an unreadable file or a cycle (read_benchdnn_batch_text).
bool read_benchdnn_batch(const std::string& path, Tally* tally, std::string* err);

}  // namespace convprobe::sources
