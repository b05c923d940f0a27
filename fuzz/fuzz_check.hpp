// Shared by the fuzz targets: the oracle that aborts on a broken property (so libFuzzer records the input),
// the round trip every parsed problem must survive, and the input as a file for readers that take a path.
#pragma once

#include <fmt/core.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "convprobe/problem.hpp"

/// Aborts with the condition and a formatted explanation when `cond` is false.
#define FUZZ_CHECK(cond, ...)                                              \
  do {                                                                     \
    if (!(cond)) ::convprobe::fuzz::fail(#cond, fmt::format(__VA_ARGS__)); \
  } while (false)

namespace convprobe::fuzz {

[[noreturn]] inline void fail(const char* cond, const std::string& what) {
  std::fprintf(stderr, "fuzz oracle failed: %s\n  %s\n", cond, what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A parsed problem is valid, its canonical form reads back equal with the same label, printing is a fixed
/// point, and the key does not change (docs/problems.md: parse(print(p)) == p).
inline void check_round_trip(const Problem& p, std::string_view input) {
  FUZZ_CHECK(validate(p).empty(), "{:?} parsed into an invalid problem: {}", input, validate(p));
  const std::string text = to_string(p);
  Problem back;
  std::string err;
  FUZZ_CHECK(parse_problem(text, &back, &err), "{:?} prints as {:?}, which does not parse: {}", input, text,
             err);
  FUZZ_CHECK(back == p, "{:?} prints as {:?}, which reads back as {:?}", input, text, to_string(back));
  FUZZ_CHECK(to_string(back) == text, "{:?}: printing is not a fixed point: {:?} then {:?}", input, text,
             to_string(back));
  FUZZ_CHECK(key(back) == key(p), "{:?}: key {:?} became {:?}", input, key(p), key(back));
}

/// The input as a file, for readers that take a path: one in-memory file per process, rewritten for each
/// input, named /proc/self/fd/N. Nothing is left on disk.
inline std::string input_file(std::string_view text) {
  static const int fd = memfd_create("convprobe-fuzz-input", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0, "memfd_create failed");
  FUZZ_CHECK(ftruncate(fd, 0) == 0, "ftruncate failed");
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(done));
    FUZZ_CHECK(n > 0, "pwrite failed");
    done += static_cast<size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace convprobe::fuzz
