#include "core/exception_verdict.hpp"

#include <fmt/format.h>

#include <new>

namespace convprobe {

void verdict_from_exception(TrialResult* r) {
  try {
    throw;  // the exception being handled, to tell which it is
  } catch (const TrialError& e) {
    r->verdict = e.verdict();
    r->detail = e.what();
  } catch (const std::bad_alloc&) {
    r->verdict = Verdict::oom;
    r->detail = fmt::format("out of host memory (std::bad_alloc) in phase {}", to_string(r->phase));
  } catch (const std::exception& e) {
    r->verdict = Verdict::failed;
    r->detail = e.what();
  } catch (...) {
    r->verdict = Verdict::failed;
    r->detail = "unknown exception";
  }
}

}  // namespace convprobe
