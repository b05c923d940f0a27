#include "double_env.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "double_registry.hpp"
#include "double_version.hpp"

namespace convprobe_double {
namespace {

std::string lower(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v;
}
std::string upper(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::toupper(c); });
  return v;
}

// 5.x (rocm-5.2.0 src/include/miopen/env.hpp:49-66, same words in rocm-5.7.0): exact strcmp, case-sensitive,
// no on/off; anything else is neither enabled nor disabled, i.e. ignored.
std::optional<bool> parse_5x(const std::string& v) {
  if (v == "disable" || v == "disabled" || v == "0" || v == "no" || v == "false") return false;
  if (v == "enable" || v == "enabled" || v == "1" || v == "yes" || v == "true") return true;
  return std::nullopt;
}

// >= 6.1 (rocm-6.2.0 src/include/miopen/env.hpp:80-108): "0"/"1", then lower-cased words with on/off, and
// MIOPEN_THROW(miopenStatusInvalidValue) for anything else (6.0 lower-cased and accepted on/off without
// throwing; the double has no 6.0).
std::optional<bool> parse_6x(const std::string& v, bool* malformed) {
  const std::string l = lower(v);
  if (l == "0" || l == "disable" || l == "disabled" || l == "no" || l == "off" || l == "false") return false;
  if (l == "1" || l == "enable" || l == "enabled" || l == "yes" || l == "on" || l == "true") return true;
  *malformed = true;
  return std::nullopt;
}

std::optional<bool> parse(const char* raw, bool* malformed) {
  if (at_least(Release::rocm6x)) return parse_6x(raw, malformed);
  return parse_5x(raw);
}

// MIOpen's numeric fallback (miopen::Value): strtoull, 0 for anything non-numeric.
unsigned long numeric(const std::string& v) { return std::strtoul(v.c_str(), nullptr, 0); }

// 5.2 src/find_controls.cpp:180-204, develop src/find_controls.cpp:201-228: names upper-cased, else the
// number 1..5, else the default (DYNAMIC_HYBRID: 5.2 src/CMakeLists.txt:40, develop :44).
FindMode parse_find_mode(const char* raw) {
  if (raw == nullptr) return FindMode::dynamic_hybrid;
  const std::string u = upper(raw);
  if (u == "NORMAL") return FindMode::normal;
  if (u == "FAST") return FindMode::fast;
  if (u == "HYBRID") return FindMode::hybrid;
  if (u == "DYNAMIC_HYBRID") return FindMode::dynamic_hybrid;
  const unsigned long n = numeric(raw);
  return n >= 1 && n <= 5 ? static_cast<FindMode>(n) : FindMode::dynamic_hybrid;
}

// 5.2 src/find_controls.cpp:70-95 (develop the same): NONE, DB_UPDATE, SEARCH, SEARCH_DB_UPDATE, DB_CLEAN or
// the number 1..5; anything else is the default, NONE.
Enforce parse_enforce(const char* raw) {
  if (raw == nullptr) return Enforce::none;
  const std::string u = upper(raw);
  if (u == "NONE") return Enforce::none;
  if (u == "DB_UPDATE") return Enforce::db_update;
  if (u == "SEARCH") return Enforce::search;
  if (u == "SEARCH_DB_UPDATE") return Enforce::search_db_update;
  if (u == "DB_CLEAN") return Enforce::db_clean;
  const unsigned long n = numeric(raw);
  return n >= 1 && n <= 5 ? static_cast<Enforce>(n) : Enforce::none;
}

// 5.2 src/find_controls.cpp:103-156: a ';'-list of numeric ids or solver names; an unknown one is BadParm.
void parse_find_only(const char* raw, Env* e) {
  if (raw == nullptr || *raw == '\0') return;
  const std::string list(raw);
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(';', start), list.size());
    const std::string item = list.substr(start, end - start);
    char* stop = nullptr;
    const unsigned long id = std::strtoul(item.c_str(), &stop, 10);
    const Solver* s = (stop != item.c_str() && *stop == '\0') ? find(id) : find(item);
    if (s == nullptr) {
      e->find_only_error = "Invalid value of MIOPEN_DEBUG_FIND_ONLY_SOLVER: " + item;
    } else {
      e->find_only.push_back(s->id);
    }
    start = end + 1;
  }
}

// MIOPEN_USER_DB_PATH, else the build default "~/.config/miopen/" (5.2 CMakeLists.txt:410, develop the same).
std::string user_db_dir() {
  if (const char* p = std::getenv("MIOPEN_USER_DB_PATH"); p != nullptr && *p != '\0') return p;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "") + "/.config/miopen/";
}

void check_bool(const char* name, Env* e) {
  const char* v = std::getenv(name);
  bool bad = false;
  if (v != nullptr) (void)parse(v, &bad);
  if (bad) e->bool_error = std::string(name) + "=" + v;
}

Env read_env() {
  Env e;
  const std::pair<Algo, const char*> families[] = {{kGemm, "MIOPEN_DEBUG_CONV_GEMM"},
                                                   {kDirect, "MIOPEN_DEBUG_CONV_DIRECT"},
                                                   {kFft, "MIOPEN_DEBUG_CONV_FFT"},
                                                   {kWinograd, "MIOPEN_DEBUG_CONV_WINOGRAD"},
                                                   {kImplicitGemm, "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM"}};
  // Family variables are disable-only (5.2 convolutionocl.cpp:686-702, develop solver_finders.cpp:393-410).
  for (const auto& [algo, name] : families) {
    check_bool(name, &e);
    e.family_enabled[algo] = read_bool(name) != false;
  }
  for (const auto& s : registry()) {
    if (s.env != nullptr) check_bool(s.env, &e);
  }
  for (const char* name : {"MIOPEN_DEBUG_DISABLE_FIND_DB", "MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK",
                           "MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS"}) {
    check_bool(name, &e);
  }
  parse_find_only(std::getenv("MIOPEN_DEBUG_FIND_ONLY_SOLVER"), &e);
  e.find_mode = parse_find_mode(std::getenv("MIOPEN_FIND_MODE"));
  e.enforce = parse_enforce(std::getenv("MIOPEN_FIND_ENFORCE"));
  // 5.2 src/include/miopen/find_db.hpp:43,93,111: disables user and system find-db reads and writes.
  e.find_db_disabled = read_bool("MIOPEN_DEBUG_DISABLE_FIND_DB") == true;
  // Declared from rocm-5.7.0 (src/ocl/convolutionocl.cpp:66, used at :184-185); absent in rocm-5.2.0.
  e.force_immed_fallback =
      at_least(Release::rocm57) && read_bool("MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK") == true;
  // First at rocm-5.7.0 src/solver.cpp:567 (ThisSolverIsDeprecatedStatic); declared nowhere in rocm-5.2.0.
  e.enable_deprecated =
      at_least(Release::rocm57) && read_bool("MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS") == true;
  e.user_db_dir = user_db_dir();
  if (const char* v = std::getenv("MIOPEN_LOG_LEVEL")) e.log_level = static_cast<int>(numeric(v));
  // 5.2 src/hip/handlehip.cpp:484-497: MIOPEN_DEVICE_CU replaces the CU count HIP reports.
  if (const char* v = std::getenv("MIOPEN_DEVICE_CU")) e.device_cu = static_cast<int>(numeric(v));
  return e;
}

}  // namespace

std::optional<bool> read_bool(const char* name) {
  const char* v = name != nullptr ? std::getenv(name) : nullptr;
  if (v == nullptr) return std::nullopt;
  bool bad = false;
  return parse(v, &bad);
}

bool switch_enabled(const char* name) { return name == nullptr || read_bool(name) != false; }
bool switch_turned_on(const char* name) { return name != nullptr && read_bool(name) == true; }

const Env& env() {
  static const Env e = read_env();
  return e;
}

}  // namespace convprobe_double
