// The environment as the double's MIOpen release reads it, once per process (MIOpen caches every variable in
// a function-local static on first use). Parsing rules differ by release; double_env.cpp cites each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace convprobe_double {

/// MIOPEN_FIND_MODE values (5.2 src/include/miopen/find_controls.hpp:111-121; same numbers in develop).
enum class FindMode { normal = 1, fast = 2, hybrid = 3, deprecated_fast_hybrid = 4, dynamic_hybrid = 5 };

/// MIOPEN_FIND_ENFORCE values (5.2 find_controls.hpp:48-60): 1 none, 2 db update, 3 search,
/// 4 search + db update, 5 db clean; 2..5 count as "something enforced".
enum class Enforce { none = 1, db_update = 2, search = 3, search_db_update = 4, db_clean = 5 };

struct Env {
  bool family_enabled[6] = {true, true, true, true, true, true};  ///< by miopenConvAlgorithm_t
  std::vector<uint64_t> find_only;                                ///< MIOPEN_DEBUG_FIND_ONLY_SOLVER
  std::string bool_error;       ///< a boolean value this release throws on (>= 6.1 only)
  std::string find_only_error;  ///< a malformed MIOPEN_DEBUG_FIND_ONLY_SOLVER
  FindMode find_mode = FindMode::dynamic_hybrid;
  Enforce enforce = Enforce::none;
  bool force_immed_fallback = false;  ///< MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK (>= 5.7)
  bool find_db_disabled = false;      ///< MIOPEN_DEBUG_DISABLE_FIND_DB
  bool enable_deprecated = false;     ///< MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS (>= 5.7)
  std::string user_db_dir;            ///< MIOPEN_USER_DB_PATH or ~/.config/miopen/
  int log_level = 0;                  ///< MIOPEN_LOG_LEVEL (6 = Info2)
  int device_cu = 0;                  ///< MIOPEN_DEVICE_CU, 0: ask HIP
  [[nodiscard]] bool enforced() const { return enforce != Enforce::none; }
};

[[nodiscard]] const Env& env();

/// A boolean variable as this release reads it: nullopt when unset or (5.x) not one of its words. A value
/// >= 6.1 throws on is recorded in env().bool_error by env() for the variables the double knows.
[[nodiscard]] std::optional<bool> read_bool(const char* name);
/// A per-solver "disable" switch: off only when the variable reads false.
[[nodiscard]] bool switch_enabled(const char* name);
/// A default-off switch: on only when the variable reads true.
[[nodiscard]] bool switch_turned_on(const char* name);

}  // namespace convprobe_double
