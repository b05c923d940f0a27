# Writes a C++ source defining `std::string_view convprobe::embedded::NAME()`: the bytes of INPUT, exactly.
# Run by convprobe_embed_file (cmake/convprobe_helpers.cmake) as
#   cmake -DINPUT=file -DOUTPUT=file.cpp -DNAME=symbol -P embed_file.cmake
# CMake only: every byte becomes a \xNN escape, so any content (quotes, backslashes, non-ASCII) survives.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# 32 bytes per line of the literal (CMake regexes have no {n}: the pattern is repeated).
string(REPEAT "[0-9a-f]" 64 line_of_hex)
string(REGEX REPLACE "(${line_of_hex})" "\\1\n" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
string(REPLACE "\n" "\"\n      \"" escaped "${escaped}")
file(RELATIVE_PATH shown "${CMAKE_CURRENT_LIST_DIR}/.." "${INPUT}")
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${shown} by cmake/embed_file.cmake at build time; do not edit.\n"
     "#include <string_view>\n\n"
     "namespace convprobe::embedded {\n\n"
     "std::string_view ${NAME}() {\n"
     "  static constexpr char kBytes[] =\n"
     "      \"${escaped}\";\n"
     "  return {kBytes, ${size}};\n"
     "}\n\n"
     "}  // namespace convprobe::embedded\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
