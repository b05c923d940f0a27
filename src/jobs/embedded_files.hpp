// Files compiled into the binary, so it needs no data files next to it: each function is written at build
// time by cmake/embed_file.cmake (convprobe_embed_file in src/CMakeLists.txt) and returns the file's bytes.
#pragma once

#include <string_view>

namespace convprobe::embedded {

/// src/jobs/torch_check.py, byte for byte: the Python side of `verify --framework torch`.
[[nodiscard]] std::string_view torch_check_py();

}  // namespace convprobe::embedded
