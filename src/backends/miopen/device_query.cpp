#include "backends/miopen/device_query.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace convprobe::miopen {
namespace {

namespace fs = std::filesystem;

// A NUL-terminated string of at most `max` bytes at `offset`, or empty.
std::string read_fixed_string(const std::vector<char>& buf, size_t offset, size_t max) {
  if (offset + max > buf.size()) return {};
  const char* p = buf.data() + offset;
  const size_t n = strnlen(p, max);
  if (n == max) return {};
  return std::string(p, n);
}

std::string home_dir_or_empty() {
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "";
}

std::string describe_dir(const std::string& label, const fs::path& dir, int max_files) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return label + " " + dir.string() + ": absent";
  std::string files;
  int count = 0;
  uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto size = it->file_size(ec);
    total += size;
    if (++count > max_files) continue;
    const auto mtime = it->last_write_time(ec);
    const auto sys = std::chrono::time_point_cast<std::chrono::seconds>(
        mtime - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    files += fmt::format("{}{} ({} bytes, {:%Y-%m-%d %H:%M})", files.empty() ? "" : ", ",
                         fs::relative(it->path(), dir, ec).string(), size, sys);
  }
  if (count == 0) return label + " " + dir.string() + ": empty";
  std::string more = count > max_files ? fmt::format(", ... {} more", count - max_files) : "";
  return fmt::format("{} {}: {} files, {} bytes: {}{}", label, dir.string(), count, total, files, more);
}

}  // namespace

std::string base_arch(const std::string& arch) { return arch.substr(0, arch.find(':')); }

std::vector<GpuInfo> query_gpus(const Runtime& rt, std::string* note) {
  std::vector<GpuInfo> gpus;
  int count = 0;
  if (const auto e = rt.hip.get_device_count(&count); e != 0) {
    *note = "hipGetDeviceCount failed: " + rt.hip_text(e);
    return gpus;
  }
  const auto& layout = rt.hip.properties_r0600 ? miopen_abi::kPropsR0600 : miopen_abi::kPropsPre600;
  for (int i = 0; i < count; ++i) {
    GpuInfo g;
    g.index = i;
    if (rt.hip.get_properties == nullptr) {
      *note = "no hipGetDeviceProperties entry point: device names unknown";
    } else {
      std::vector<char> buf(miopen_abi::kPropsBufferBytes, 0);
      if (const auto e = rt.hip.get_properties(buf.data(), i); e != 0) {
        *note = "hipGetDeviceProperties failed: " + rt.hip_text(e);
      } else {
        g.name = read_fixed_string(buf, 0, 256);
        g.arch = read_fixed_string(buf, layout.gcn_arch_name, 256);
        std::memcpy(&g.compute_units, buf.data() + layout.multi_processor_count, sizeof(int));
        if (g.arch.rfind("gfx", 0) != 0) {
          // A layout we do not know (a future HIP): say so rather than show garbage.
          *note = "could not read gcnArchName (unknown hipDeviceProp_t layout)";
          g.arch.clear();
          g.compute_units = 0;
        }
      }
    }
    gpus.push_back(g);
  }
  return gpus;
}

MiopenVersion loaded_version(const Runtime& rt) {
  size_t major = 0, minor = 0, patch = 0;
  if (rt.mi.get_version == nullptr || rt.mi.get_version(&major, &minor, &patch) != 0) return {};
  return {static_cast<int>(major), static_cast<int>(minor), static_cast<int>(patch)};
}

std::string miopen_version(const Runtime& rt) {
  const MiopenVersion v = loaded_version(rt);
  if (!v.known()) return "MIOpen (version unknown)";
  return fmt::format("MIOpen {}.{}.{}", v.major, v.minor, v.patch);
}

std::string hip_version(const Runtime& rt) {
  int v = 0;
  if (rt.hip.runtime_version == nullptr || rt.hip.runtime_version(&v) != 0) return {};
  // HIP_VERSION = major * 10000000 + minor * 100000 + patch.
  return fmt::format("HIP {}.{}.{}", v / 10000000, (v / 100000) % 100, v % 100000);
}

std::vector<std::string> database_notes() {
  std::vector<std::string> notes;
  const std::string home = home_dir_or_empty();
  const char* user_db = std::getenv("MIOPEN_USER_DB_PATH");
  const fs::path user_dir = user_db != nullptr ? fs::path(user_db) : fs::path(home) / ".config" / "miopen";
  const char* cache = std::getenv("MIOPEN_CUSTOM_CACHE_DIR");
  const fs::path cache_dir = cache != nullptr ? fs::path(cache) : fs::path(home) / ".cache" / "miopen";
  notes.push_back(describe_dir("MIOpen user db (find-db *.ufdb.txt, perf-db *.udb)", user_dir, 8));
  notes.push_back(describe_dir("MIOpen kernel cache (*.ukdb)", cache_dir, 8));
  for (const char* var : {"MIOPEN_FIND_MODE", "MIOPEN_FIND_ENFORCE", "MIOPEN_DEBUG_DISABLE_FIND_DB",
                          "MIOPEN_DISABLE_CACHE", "MIOPEN_SYSTEM_DB_PATH"}) {
    if (const char* v = std::getenv(var)) notes.push_back(fmt::format("{}={}", var, v));
  }
  return notes;
}

}  // namespace convprobe::miopen
