#include "backends/fault/fault_injection.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <thread>
#include <vector>

#include "core/reference_conv.hpp"

namespace convprobe::fault {

namespace {

/// Spins forever. SIGTERM is ignored and blocked, as a driver stuck in a kernel would: only SIGKILL ends it.
[[noreturn]] void spin_forever() {
  std::signal(SIGTERM, SIG_IGN);
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, nullptr);
  volatile uint64_t counter = 0;
  for (;;) counter = counter + 1;
}

// no_sanitize("null"): under UBSan (the asan preset) the store would be reported and the worker stopped
// before the MMU raises the SIGSEGV this candidate exists to produce.
[[noreturn]] __attribute__((no_sanitize("null"))) void write_through_null() {
  // Both the pointer and the pointee are volatile: the compiler can neither prove the pointer null (and
  // emit a trap instruction) nor drop the store as dead, so the MMU raises a real SIGSEGV.
  volatile int* volatile target = nullptr;
  *target = 42;
  std::abort();  // not reached
}

/// Every hundredth element (the first always included): where the faults that damage values act.
template <class Fn>
void every_hundredth(HostTensor& t, const Fn& fn) {
  const int64_t n = t.elems();
  for (int64_t i = 0; i < n; i += 100) fn(i);
}

}  // namespace

void end_worker(Kind kind, int protocol_fd) {
  switch (kind) {
    case Kind::hang:
      spin_forever();
    case Kind::segv:
      write_through_null();
    case Kind::abort:
      std::abort();
    case Kind::exit:
      _exit(3);
    case Kind::garbage: {
      // Not a frame: the first byte already breaks the magic. Sent in one write so it arrives whole.
      static constexpr char kJunk[] =
          "\x7f"
          "GARBAGE from fault.garbage \x01\x02\x03\xff\xfe";
      const ssize_t n = ::write(protocol_fd, kJunk, sizeof kJunk - 1);
      (void)n;
      return;
    }
    default:
      return;
  }
}

const HostTensor& CorrectOutputCache::get(const Problem& p, const ConvTensors& inputs, uint64_t seed) {
  std::string k = key(p) + "#" + std::to_string(seed);
  if (k != key_) {
    std::vector<double> values;
    reference_full(p, inputs, &values);
    const HostTensor& like = inputs.get(output_role(p.dir));
    HostTensor out(like.type(), like.dims());
    for (int64_t i = 0; i < out.elems(); ++i) out.set(i, values[static_cast<size_t>(i)]);
    output_ = std::move(out);
    key_ = std::move(k);
  }
  return output_;
}

HostKernel make_kernel(Kind kind, const Problem& p, const TrialOptions& options, CorrectOutputCache& cache) {
  struct State {
    const HostTensor* correct = nullptr;
    HostTensor work;
    double compute_ms = 0;
  };
  auto state = std::make_shared<State>();
  const TensorRole out_role = output_role(p.dir);
  HostKernel k;
  k.load = [state, kind, p, seed = options.seed, &cache](const ConvTensors& t) {
    if (kind == Kind::error || kind == Kind::oom) return;  // they fail before computing anything
    state->correct = &cache.get(p, t, seed);
    if (state->work.bytes() != state->correct->bytes())
      state->work = HostTensor(state->correct->type(), state->correct->dims());
  };
  k.run = [state, kind](int /*iteration*/) -> double {
    if (kind == Kind::error) throw TrialError(Verdict::failed, "FAULT_STATUS_EXECUTION_FAILED");
    if (kind == Kind::oom) throw std::bad_alloc();
    if (state->correct == nullptr) throw TrialError(Verdict::failed, "fault kernel run before load");
    const auto start = std::chrono::steady_clock::now();
    std::memcpy(state->work.data(), state->correct->data(), state->correct->bytes());
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (kind == Kind::slow) {
      // Ten times the work, and at least a millisecond, so "slower" holds even for a copy of a few bytes.
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(std::max(1.0, 10.0 * ms)));
    }
    return kind == Kind::badtime ? 0.0 : -1.0;  // badtime: an impossible elapsed time; others: runner times
  };
  k.store = [state, kind, out_role](ConvTensors& t) {
    HostTensor& out = t.get(out_role);
    if (state->correct == nullptr || out.bytes() != state->work.bytes()) {
      throw TrialError(Verdict::failed, "fault kernel: output tensor does not match the problem");
    }
    // partial: only the first half is written; the rest keeps the runner's poison.
    const size_t element = out.elems() > 0 ? out.bytes() / static_cast<size_t>(out.elems()) : 0;
    const size_t bytes = kind == Kind::partial ? static_cast<size_t>(out.elems() / 2) * element : out.bytes();
    std::memcpy(out.data(), state->work.data(), bytes);
    if (kind == Kind::nan)
      every_hundredth(out, [&](int64_t i) { out.set(i, std::numeric_limits<double>::quiet_NaN()); });
    if (kind == Kind::wrong) every_hundredth(out, [&](int64_t i) { out.set(i, out.get(i) * 1.1); });
  };
  return k;
}

}  // namespace convprobe::fault
