// A minimal parallel-for over std::thread (no OpenMP: plugins must not drag an OpenMP runtime into a worker
// that may also load a vendor library with its own).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace convprobe::detail {

/// Hardware threads (at least 1).
inline int hardware_threads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

/// Calls body(begin, end) on disjoint chunks covering [0, n), from `threads` threads (<= 0: every core).
/// Chunks are handed out dynamically, so uneven work (padding borders, strides) balances itself.
/// The first exception thrown by a body is rethrown in the caller after all threads have joined.
template <class Body>
void parallel_for(int64_t n, int threads, const Body& body, int64_t min_chunk = 1) {
  if (n <= 0) return;
  if (threads <= 0) threads = hardware_threads();
  const int64_t chunk = std::max<int64_t>(min_chunk, n / (static_cast<int64_t>(threads) * 8));
  const int workers = static_cast<int>(std::min<int64_t>(threads, (n + chunk - 1) / chunk));
  if (workers <= 1) {
    body(int64_t{0}, n);
    return;
  }
  std::atomic<int64_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    try {
      for (int64_t begin = next.fetch_add(chunk); begin < n; begin = next.fetch_add(chunk)) {
        body(begin, std::min(n, begin + chunk));
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(n);  // stop handing out work
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(workers - 1));
  try {
    for (int i = 1; i < workers; ++i) pool.emplace_back(work);
  } catch (const std::system_error&) {
    // Out of threads: the ones started (and this one) still claim every chunk.
  }
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace convprobe::detail
