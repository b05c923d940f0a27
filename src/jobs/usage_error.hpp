// Bad usage or input found by a job (a selection that selects nothing, a --devices index the backend lacks, a
// --from that does not parse): the CLI prints "convprobe: error: <message>" and exits 2. It lives here, under
// the CLI, because the jobs find most of these; cli/cli.hpp names it for the commands.
#pragma once

#include <stdexcept>

namespace convprobe {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace convprobe
