// One entry for every kind of file convprobe reads problems from (`convprobe import`, `sweep --model`): the
// format is recognized from the content (a file's name says little: logs are .txt, models .onnx or .pb),
// `--format` forces one, and each format's reader fills one Tally.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sources/tally.hpp"

namespace convprobe::sources {

enum class SourceFormat {
  problems,         ///< convprobe problems file (descriptors or MIOpenDriver flags, "48x " counts)
  miopen_log,       ///< MIOpen's MIOPEN_ENABLE_LOGGING_CMD lines, e.g. a saved stderr
  miopen_commands,  ///< a file of MIOpenDriver command lines
  cudnn_log,        ///< cuDNN's API log (CUDNN_LOGLEVEL_DBG=3)
  benchdnn_batch,   ///< oneDNN benchdnn conv batch file
  onnx,             ///< ONNX model
  torch_record,     ///< the PyTorch recorder's JSON (python3 -m convprobe_torch)
};

[[nodiscard]] std::string_view format_name(SourceFormat f);
/// Every name --format accepts, in the order detection tries them.
[[nodiscard]] const std::vector<SourceFormat>& all_formats();
/// The format named `name`; false when none is.
bool parse_format_name(std::string_view name, SourceFormat* out);

struct ImportOptions {
  bool force_format = false;
  SourceFormat format = SourceFormat::problems;
  int64_t batch = -1;                   ///< a symbolic batch dimension's value (ONNX)
  std::map<std::string, int64_t> dims;  ///< other symbolic dimensions' values (ONNX)
};

/// Reads `path` into *tally and says which format it was read as. False with *err naming the file when it
/// cannot be read or is in no format convprobe reads; records it cannot express go to tally->rejections().
bool import_file(const std::string& path, const ImportOptions& options, Tally* tally,
                 SourceFormat* format_read, std::string* err);

}  // namespace convprobe::sources
