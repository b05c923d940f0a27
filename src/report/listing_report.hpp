// What `devices` and `candidates` show: a table on the terminal, or one JSON document (document_header()
// first, docs/json-schema.md).
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"
#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"

namespace convprobe {

/// A backend as asked for by name (the table's first column), and what it answered (the document's entry).
struct ProbedBackend {
  std::string name;
  BackendInfo info;
};

/// One row per device of an available backend ("ok", with its first note), one per unavailable backend
/// (why), one for an available backend without devices.
void print_backend_table(FILE* out, const std::vector<ProbedBackend>& backends);
/// {"schema_version": 1, "backends": [info, ...]}
[[nodiscard]] nlohmann::json backends_document(const std::vector<ProbedBackend>& backends);

/// The candidates (id, family, notes), then "N candidate(s) for PROBLEM".
void print_candidate_table(FILE* out, const Problem& problem, const std::vector<Candidate>& candidates);
/// {"schema_version": 1, "problem": key, "backend": name, "candidates": [candidate, ...]}
[[nodiscard]] nlohmann::json candidates_document(const Problem& problem, const std::string& backend,
                                                 const std::vector<Candidate>& candidates);

}  // namespace convprobe
