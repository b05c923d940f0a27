// Problems read from users' files (`convprobe import`, `sweep --model`): every file into one tally, its
// format recognized or forced; a file that cannot be read, or that holds convolutions convprobe cannot
// express, is bad input (UsageError naming the file and the line or node), unless the caller lets such
// records be skipped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sources/import.hpp"
#include "sources/tally.hpp"

namespace convprobe {

struct ModelImportOptions {
  std::vector<std::string> files;
  std::string format;             ///< a format name (sources/import.hpp), or empty to recognize it
  int64_t batch = -1;             ///< a symbolic batch dimension's value
  std::vector<std::string> dims;  ///< "NAME=VALUE" for other symbolic dimensions
  bool skip_bad = false;          ///< keep going past records convprobe cannot express
};

struct ModelImport {
  sources::Tally tally;
  std::vector<std::string> read_as;  ///< per file: "<file> (<format>)"
};

/// Throws UsageError on bad options, unreadable files and (without skip_bad) inexpressible records; an
/// import that yields no problem at all is an error too (naming what was skipped).
[[nodiscard]] ModelImport import_models(const ModelImportOptions& options);

/// A tally in --json documents: "summary", "problems" [{problem, key, runs, label}], "skipped" {kind: n},
/// "rejected" [{where, why}], "warnings".
[[nodiscard]] nlohmann::json tally_json(const sources::Tally& tally);

/// The --format names, for help texts: "onnx, torch-record, cudnn-log, ...".
[[nodiscard]] std::string source_format_names();

}  // namespace convprobe
