// Whole files: read with an error that says why, and written so that a user's file is either the old file or
// the whole new one, never half of either (the bytes go to a temporary file beside it, are flushed to disk,
// and the temporary is renamed over it).
#pragma once

#include <string>

namespace convprobe {

/// Every byte of `path`. False with *err "cannot read '<path>': <reason>".
bool read_file(const std::string& path, std::string* bytes, std::string* err);

/// Replace (or create) `path` with `bytes`. False with *err naming the path and the reason; the old file,
/// if any, is then untouched and no temporary is left behind.
bool write_file_atomically(const std::string& path, const std::string& bytes, std::string* err);

}  // namespace convprobe
