// MD5 (RFC 1321) as lower-case hex. convprobe needs it for one thing: MIOpen names the lock file of a
// database after the MD5 of the database's folder (src/lock_file.cpp LockFilePath), and a tool that writes
// MIOpen's user find-db must take that same lock. Written from the RFC rather than adding a crypto library:
// nothing convprobe links (fmt, SQLite, nlohmann_json, CLI11) exports MD5, and this is not used for security.
#pragma once

#include <string>
#include <string_view>

namespace convprobe {

/// The MD5 digest of `bytes` as 32 lower-case hex digits, e.g. md5_hex("abc") ==
/// "900150983cd24fb0d6963f7d28e17f72" (the format of MIOpen's src/md5.cpp md5(), 2 digits per byte).
[[nodiscard]] std::string md5_hex(std::string_view bytes);

}  // namespace convprobe
