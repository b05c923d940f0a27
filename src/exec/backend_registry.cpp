#include "exec/backend_registry.hpp"

#include <algorithm>
#include <cstdlib>

namespace convprobe {

namespace {

/// Each backend's traits, made once (their functions may search the disk or build tables).
const std::map<std::string, BackendTraits>& traits_by_name() {
  static const std::map<std::string, BackendTraits> traits = [] {
    std::map<std::string, BackendTraits> made;
    for (const RegisteredBackend& b : registered_backends())
      made[b.name] = b.traits ? b.traits() : BackendTraits{};
    return made;
  }();
  return traits;
}

}  // namespace

const std::vector<std::string>& known_backends() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const RegisteredBackend& b : registered_backends()) out.emplace_back(b.name);
    return out;
  }();
  return names;
}

bool is_known_backend(const std::string& name) {
  const auto& names = known_backends();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string known_backends_text(const std::string& last_separator) {
  const auto& names = known_backends();
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? last_separator : ", ";
    text += names[i];
  }
  return text;
}

const BackendTraits& backend_traits(const std::string& name) {
  static const BackendTraits none;
  const auto& all = traits_by_name();
  const auto it = all.find(name);
  return it == all.end() ? none : it->second;
}

std::vector<BackendOption> backend_options() {
  std::vector<BackendOption> options;
  for (const std::string& name : known_backends()) {
    for (const BackendOption& o : backend_traits(name).options) {
      const bool seen =
          std::any_of(options.begin(), options.end(), [&](const BackendOption& x) { return x.key == o.key; });
      if (!seen) options.push_back(o);
    }
  }
  return options;
}

std::string check_backend_options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) {
    bool declared = false;
    for (const std::string& name : known_backends()) {
      for (const BackendOption& o : backend_traits(name).options) {
        if (o.key != key) continue;
        declared = true;
        if (std::string err = o.check != nullptr ? o.check(value) : std::string(); !err.empty()) return err;
      }
    }
    if (!declared) return "backend option '" + key + "' is not an option of any backend";
  }
  return {};
}

std::map<std::string, std::string> worker_environment(const std::string& backend,
                                                      const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env = extra;
  const BackendTraits& traits = backend_traits(backend);
  if (traits.worker_library_path == nullptr || env.count("LD_LIBRARY_PATH") != 0) return env;
  const std::string path = traits.worker_library_path();
  if (path.empty()) return env;
  const char* current = std::getenv("LD_LIBRARY_PATH");
  env["LD_LIBRARY_PATH"] = current == nullptr || *current == '\0' ? path : path + ":" + current;
  return env;
}

}  // namespace convprobe
