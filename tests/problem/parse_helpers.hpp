// Shared by the parser tests: parse expecting success (the problem) or failure (the message).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "convprobe/problem.hpp"

namespace convprobe {

using A3 = std::array<int64_t, 3>;

inline Problem parse_ok(std::string_view text) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(text, &p, &err)) << text << ": " << err;
  return p;
}

inline std::string parse_error(std::string_view text) {
  Problem p;
  std::string err;
  EXPECT_FALSE(parse_problem(text, &p, &err)) << text << " parsed as " << to_string(p);
  return err;
}

}  // namespace convprobe
