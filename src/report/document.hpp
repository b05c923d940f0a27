// Every --json document convprobe writes opens the same way (docs/json-schema.md): a schema version, and for
// a document about one run, that run's fingerprint. Both are written here once, so a version bump is one
// edit.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"

namespace convprobe {

/// The layout version of every --json document; bump it on incompatible changes.
inline constexpr int kJsonSchemaVersion = 1;

/// A run as documents show it: the fingerprint's fields and "identity", plus "id" once stored (run_id >= 0).
[[nodiscard]] nlohmann::json run_json(const Fingerprint& fp, int64_t run_id = -1);

/// The opening of every document: {"schema_version": 1}.
[[nodiscard]] nlohmann::json document_header();
/// The opening of a document about one run: {"schema_version": 1, "run": run_json(fp, run_id)}.
[[nodiscard]] nlohmann::json document_header(const Fingerprint& fp, int64_t run_id);

/// Write `doc` to a path, or to stdout for "-". Throws std::runtime_error naming the path on failure.
void write_json_output(const std::string& path, const nlohmann::json& doc);

}  // namespace convprobe
