#include "double_finddb.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "double_env.hpp"
#include "double_version.hpp"

namespace convprobe_double {
namespace {

using convprobe::Direction;
using convprobe::Problem;

constexpr int kDeviceCUs = 36;  // what the HIP double reports (hipDeviceProp_t.multiProcessorCount)

std::string version_suffix() {
  const Version& v = version();
  return "HIP." + std::to_string(v.major) + "_" + std::to_string(v.minor) + "_" + std::to_string(v.patch) +
         "_" + v.tweak;
}

// 5.2 src/db.cpp:150 (develop src/db.cpp:147), printed at MIOPEN_LOG_LEVEL >= 6 (Info2) on every lookup:
// "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key <key> in file <path>" (the real line,
// ROCm/MIOpen#784). With the find-db RAM cache (default on) MIOpen prints "… in cache for file …" (5.2
// ramdb.cpp:264) instead: the double keeps the db.cpp form, the one the steering research matched against
// real logs.
void log_lookup(const std::string& key, const std::string& path) {
  if (env().log_level < 6) return;
  std::cerr << "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key " << key << " in file " << path
            << std::endl;
}

std::string type_token(convprobe::DataType t) {
  switch (t) {
    case convprobe::DataType::f16:
      return "FP16";
    case convprobe::DataType::bf16:
      return "BF16";
    default:
      return "FP32";
  }
}

const char* const kAlgoWords[] = {"GEMM", "Direct", "FFT", "Winograd", "", "ImplicitGEMM"};

int algo_of_name(const std::string& name) {
  for (int a : {0, 1, 2, 3, 5}) {
    const std::string w = kAlgoWords[a];
    if (name.size() >= w.size() && name.compare(name.size() - w.size(), w.size(), w) == 0) return a;
  }
  return -1;
}

// Format 1.0 (5.2 perf_field.hpp FindDbData::Visit; the network config is "<unused>",
// finddb_kernel_cache_key.hpp:53-59): <algo>:<solver>,<time>,<ws>,<kcache algo>,<kcache netcfg>.
std::optional<FindDbEntry> parse_v1(const std::string& algo, const std::string& fields) {
  std::stringstream ss(fields);
  std::string solver, time, ws;
  if (!std::getline(ss, solver, ',') || !std::getline(ss, time, ',') || !std::getline(ss, ws, ',')) return {};
  std::string rest;
  if (!std::getline(ss, rest, ',')) return {};  // 1.0 has five fields; a 2.0 item has three
  const Solver* s = find(solver);
  if (s == nullptr) return {};
  return FindDbEntry{s->id, std::stof(time), std::stoull(ws), algo_of_name(algo)};
}

// Format 2.0 (develop perf_field.hpp FindDbData {time, workspace, algorithm}): <solver>:<time>,<ws>,<algo>.
std::optional<FindDbEntry> parse_v2(const std::string& solver, const std::string& fields) {
  std::stringstream ss(fields);
  std::string time, ws, algo, extra;
  if (!std::getline(ss, time, ',') || !std::getline(ss, ws, ',') || !std::getline(ss, algo, ',')) return {};
  if (std::getline(ss, extra, ',')) return {};
  const Solver* s = find(solver);
  if (s == nullptr) return {};
  return FindDbEntry{s->id, std::stof(time), std::stoull(ws), algo_of_name(algo)};
}

// 5.6+ read 1.0 items too (develop db_record.cpp:97-118, TransformFindDbItem10to20); 5.2 knows only 1.0.
std::optional<FindDbEntry> parse_item(const std::string& item) {
  const size_t colon = item.find(':');
  if (colon == std::string::npos) return {};
  const std::string id = item.substr(0, colon), fields = item.substr(colon + 1);
  try {
    if (auto e = parse_v1(id, fields)) return e;
    if (at_least(Release::rocm57)) return parse_v2(id, fields);
  } catch (const std::exception&) {
  }
  return {};
}

std::map<std::string, std::string> read_lines(const std::string& path) {
  std::map<std::string, std::string> records;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) records[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return records;
}

// MIOpen rewrites the file under a lock (db.cpp); the double writes a temporary file and renames it.
void write_lines(const std::string& path, const std::map<std::string, std::string>& records) {
  const std::string tmp = path + ".convprobe-double.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& [key, value] : records) out << key << '=' << value << '\n';
  }
  std::rename(tmp.c_str(), path.c_str());
}

std::string float_text(float f) {
  std::ostringstream os;
  os << f;
  return os.str();
}

// 1.0 keeps one entry per algorithm family, the fastest (5.2 convolutionocl.cpp stores per algorithm name);
// 2.0 one entry per evaluated solver.
std::string record_value(const Problem& p, const std::vector<FindDbEntry>& entries) {
  std::string value;
  const auto add = [&](const std::string& item) {
    if (!value.empty()) value.push_back(';');
    value.append(item);
  };
  if (!at_least(Release::rocm57)) {
    std::map<int, FindDbEntry> best;
    for (const auto& e : entries) {
      if (!best.count(e.algo) || e.time < best[e.algo].time) best[e.algo] = e;
    }
    for (const auto& [algo, e] : best) {
      const std::string a = algo_name(algo, p.dir);
      std::ostringstream item;
      item << a << ':' << find(e.solver)->name << ',' << float_text(e.time) << ',' << e.workspace << ',' << a
           << ",<unused>";
      add(item.str());
    }
    return value;
  }
  for (const auto& e : entries) {
    add(std::string(find(e.solver)->name) + ":" + float_text(e.time) + "," + std::to_string(e.workspace) +
        "," + algo_name(e.algo, p.dir));
  }
  return value;
}

std::string dims_key(const Problem& p) {
  const auto out = p.out();
  const bool fwd = p.dir == Direction::fwd;
  // "in" is the direction's input: x for F, dy for B and W (5.2 problem_description.cpp:99-101).
  const int64_t in_c = fwd ? p.ic : p.oc, out_c = fwd ? p.oc : p.ic;
  const auto& in_s = fwd ? p.in : out;
  const auto& out_s = fwd ? out : p.in;
  const int first = p.spatial_dims == 3 ? 0 : 1;
  std::ostringstream k;
  const auto dashed = [&](const auto& v) {
    for (int a = first; a < 3; ++a) k << '-' << v[a];
  };
  const auto crossed = [&](auto value_of) {
    k << '-';
    for (int a = first; a < 3; ++a) k << (a == first ? "" : "x") << value_of(a);
  };
  k << in_c;
  dashed(in_s);
  crossed([&](int a) { return p.kernel[a]; });
  k << '-' << out_c;
  dashed(out_s);
  k << '-' << p.mb;
  crossed([&](int a) { return p.pad_begin[a]; });
  crossed([&](int a) { return p.stride[a]; });
  crossed([&](int a) { return p.dilation[a] + 1; });
  return k.str();
}

}  // namespace

std::string algo_name(int algo, Direction d) {
  const char* dir = d == Direction::fwd ? "Fwd" : d == Direction::bwd_data ? "BwdData" : "BwdWeights";
  const char* word = algo >= 0 && algo <= 5 ? kAlgoWords[algo] : "";
  return std::string("miopenConvolution") + dir + "Algo" + word;
}

std::string db_basename() {
  const int cus = env().device_cu > 0 ? env().device_cu : kDeviceCUs;
  // DbId: gfx1010 has no sramecc, and xnack- appends nothing (target_properties.cpp:110-129); the CU count
  // follows with '_' when <= 64, in hex without '_' above (handle.hpp:199-210).
  char buf[32];
  std::snprintf(buf, sizeof buf, cus <= 64 ? "_%d" : "%x", cus);
  return std::string(kDeviceArch) + buf;
}

// GetUserDbPath() + "/" + basename: the default directory ends with '/', hence MIOpen's own "//" in paths.
std::string user_find_db_path() {
  return env().user_db_dir + "/" + db_basename() + "." + version_suffix() + ".ufdb.txt";
}

// 5.2 execution_context.hpp:250-265 (SQLite, schema 1.1.0; a plain file in the double, not an SQLite
// database); 6.2 execution_context.hpp:276-292 with MIOPEN_USE_SQLITE_PERFDB Off by default
// (CMakeLists.txt:547).
std::string user_perf_db_path() {
  if (!at_least(Release::rocm6x)) return env().user_db_dir + "/" + db_basename() + "_1.1.0.udb";
  return env().user_db_dir + "/" + db_basename() + "." + version_suffix() + ".udb.txt";
}

std::string find_db_key(const Problem& p) {
  const char* layout = p.layout == convprobe::Layout::nhwc
                           ? (p.spatial_dims == 3 ? "NDHWC-NDHWC-NDHWC" : "NHWC-NHWC-NHWC")
                           : (p.spatial_dims == 3 ? "NCDHW" : "NCHW");
  const char dir = p.dir == Direction::fwd ? 'F' : p.dir == Direction::bwd_data ? 'B' : 'W';
  std::string k = dims_key(p) + "-0-" + layout + "-" + type_token(p.type) + "-" + dir;
  if (p.g > 1) k += "_g" + std::to_string(p.g);
  return k;
}

std::optional<std::vector<FindDbEntry>> load_record(const Problem& p) {
  if (env().find_db_disabled) return std::nullopt;
  const std::string key = find_db_key(p), path = user_find_db_path();
  log_lookup(key, path);
  const auto records = read_lines(path);
  const auto it = records.find(key);
  if (it == records.end()) return std::nullopt;
  std::vector<FindDbEntry> entries;
  std::stringstream ss(it->second);
  std::string item;
  while (std::getline(ss, item, ';')) {
    if (auto e = parse_item(item)) entries.push_back(*e);
  }
  return entries;
}

void store_record(const Problem& p, const std::vector<FindDbEntry>& entries) {
  if (env().find_db_disabled || entries.empty()) return;
  const std::string path = user_find_db_path();
  auto records = read_lines(path);
  records[find_db_key(p)] = record_value(p, entries);
  write_lines(path, records);
}

void store_perf_db(const Problem& p, const std::vector<uint64_t>& searched) {
  if (searched.empty()) return;
  const std::string path = user_perf_db_path();
  auto records = read_lines(path);
  std::ostringstream value;
  for (uint64_t id : searched) value << (id == searched.front() ? "" : ";") << find(id)->name << ":tuned";
  records[find_db_key(p)] = value.str();
  write_lines(path, records);
}

}  // namespace convprobe_double
