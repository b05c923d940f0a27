// Comma-separated candidate notes ("tensor_core,tf32").
#pragma once

#include <string>
#include <string_view>

namespace convprobe::cudnn {

inline void append_note(std::string* notes, std::string_view note) {
  if (!notes->empty()) notes->push_back(',');
  notes->append(note);
}

}  // namespace convprobe::cudnn
