// The table of policy formats (policy/emitters.hpp). A new format: its file policy/emit_<name>.{hpp,cpp}
// (decide, render, read_back) and one row here. `policy --emit`, its help and messages, and the reader behind
// `verify` see it from here.
#include <fmt/core.h>

#include "policy/emit_convprobe.hpp"
#include "policy/emit_cudnn_errata.hpp"
#include "policy/emit_miopen_env.hpp"
#include "policy/emit_miopen_finddb.hpp"
#include "policy/emit_onednn_env.hpp"
#include "policy/emitters.hpp"

namespace convprobe {

namespace {

// Row order is the order help and messages list the formats. read_back claims are exclusive, so the order
// never decides which row reads a file.
constexpr Emitter kEmitters[] = {
    {"convprobe", "", "JSON for verify/run/sweep --policy", nullptr,
     decide_then_render<decide_convprobe, render_convprobe>, read_back_convprobe},
    {"miopen-env", "miopen", "sh profile", nullptr, decide_then_render<decide_miopen_env, render_miopen_env>,
     read_back_miopen_env},
    // Per shape: the fastest solver that passed there, for MIOpen's user find-db (merged in by --finddb).
    {kMiopenFindDbEmitter, "miopen", "records for MIOpen's user find-db", nullptr,
     decide_then_render<decide_miopen_finddb, render_miopen_finddb>, read_back_miopen_finddb},
    // PyTorch chooses only among cuDNN's heuristics configs: slowness is measured against the fastest of
    // those (blocking PyTorch's own pick for a config it never sees only makes it slower).
    {"cudnn-errata", "cudnn", "CUDNN_ERRATA_JSON_FILE", cudnn_heuristics_offered,
     decide_then_render<decide_cudnn_errata, render_cudnn_errata>, read_back_cudnn_errata},
    {"onednn-env", "onednn", "ONEDNN_MAX_CPU_ISA", nullptr,
     decide_then_render<decide_onednn_env, render_onednn_env>, read_back_onednn_env},
};

/// "a, b, c or d" of the rows `pick` selects.
template <typename Pick>
std::string join_names(Pick pick) {
  std::vector<std::string_view> names;
  for (const Emitter& e : kEmitters) {
    if (pick(e)) names.push_back(e.name);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

std::span<const Emitter> emitters() { return kEmitters; }

const Emitter* find_emitter(std::string_view name) {
  for (const Emitter& e : kEmitters) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string emitter_names() {
  return join_names([](const Emitter&) { return true; });
}

std::string emitter_names_for_any_backend() {
  return join_names([](const Emitter& e) { return e.backend.empty(); });
}

std::string emitter_help() {
  std::string out;
  for (const Emitter& e : kEmitters) out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", e.name, e.help);
  return out;
}

}  // namespace convprobe
