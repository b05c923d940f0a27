// Plugins built wrong on purpose, for the loader's tests (tests/exec/plugin_loader_test.cpp), one per
// compile definition:
//   CONVPROBE_TEST_ABI=N           exports convprobe_backend_abi = N (another ABI than the loader's)
//   CONVPROBE_TEST_NO_ABI_SYMBOL   exports only an entry point, as plugins before ABI 3 did
//   CONVPROBE_TEST_THROWS          CONVPROBE_DEFINE_BACKEND over a constructor that throws a std::exception
//   CONVPROBE_TEST_THROWS_INT      ... that throws something that is not a std::exception
#include <stdexcept>
#include <string>

#include "convprobe/backend.hpp"

#if defined(CONVPROBE_TEST_THROWS) || defined(CONVPROBE_TEST_THROWS_INT)
namespace {
class ThrowingBackend final : public convprobe::Backend {
 public:
  ThrowingBackend() {
#ifdef CONVPROBE_TEST_THROWS
    throw std::runtime_error("no device here (thrown by the constructor)");
#else
    throw 42;
#endif
  }
  [[nodiscard]] std::string name() const override { return "reference"; }
  convprobe::BackendInfo info() override { return {}; }
  std::vector<convprobe::Candidate> candidates(const convprobe::Problem&,
                                               const convprobe::TrialOptions&) override {
    return {};
  }
  convprobe::TrialResult run_trial(const convprobe::Problem&, const convprobe::Candidate&,
                                   const convprobe::TrialOptions&, convprobe::TrialContext&) override {
    return {};
  }
};
}  // namespace
CONVPROBE_DEFINE_BACKEND(ThrowingBackend)
#else
#ifdef CONVPROBE_TEST_ABI
extern "C" __attribute__((visibility("default"))) const int convprobe_backend_abi = CONVPROBE_TEST_ABI;
#endif
extern "C" __attribute__((visibility("default"))) convprobe::Backend* convprobe_backend_entry(
    int, std::string* error) {
  *error = "the entry point of a plugin built for another ABI was called";
  return nullptr;
}
#endif
