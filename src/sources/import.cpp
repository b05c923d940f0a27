#include "sources/import.hpp"

#include <fmt/core.h>

#include <array>
#include <utility>

#include "base/files.hpp"
#include "base/line_splitter.hpp"
#include "sources/benchdnn_batch.hpp"
#include "sources/cudnn_log.hpp"
#include "sources/miopen_command_log.hpp"
#include "sources/onnx_model.hpp"
#include "sources/torch_record.hpp"

namespace convprobe::sources {

namespace {

constexpr std::array<std::pair<SourceFormat, std::string_view>, 7> kNames{{
    {SourceFormat::onnx, "onnx"},
    {SourceFormat::torch_record, "torch-record"},
    {SourceFormat::cudnn_log, "cudnn-log"},
    {SourceFormat::miopen_log, "miopen-log"},
    {SourceFormat::miopen_commands, "miopen-commands"},
    {SourceFormat::benchdnn_batch, "benchdnn-batch"},
    {SourceFormat::problems, "problems"},
}};

/// Enough of a file to recognize it: every reader's looks_like_* decides on its first lines or bytes.
constexpr size_t kHeadBytes = 64 * 1024;

bool looks_like(SourceFormat f, std::string_view head) {
  switch (f) {
    case SourceFormat::onnx:
      return looks_like_onnx(head);
    case SourceFormat::torch_record:
      return looks_like_torch_record(head);
    case SourceFormat::cudnn_log:
      return looks_like_cudnn_log(head);
    case SourceFormat::miopen_log:
      return looks_like_miopen_log(head);
    case SourceFormat::miopen_commands:
      return looks_like_miopen_driver_commands(head);
    case SourceFormat::benchdnn_batch:
      return looks_like_benchdnn_batch(head);
    case SourceFormat::problems:
      return true;  // the last resort: its parser names the first bad line
  }
  return false;
}

/// Text formats must be text: a NUL byte means a binary file given by mistake (or a truncated model).
bool is_text(std::string_view bytes) { return bytes.find('\0') == std::string_view::npos; }

template <typename Reader>
void read_lines(const std::string& text, Reader& reader) {
  LineSplitter lines;
  const auto feed = [&](std::string_view line) { reader.feed_line(line); };
  lines.feed(text, feed);
  lines.finish(feed);
  reader.finish();
}

bool read_problems(const std::string& path, const std::string& text, Tally* tally, std::string* err) {
  std::vector<Problem> problems;
  if (!parse_problems_text(text, path, &problems, err)) return false;
  for (const auto& p : problems) tally->add(p, path, p.runs);
  return true;
}

bool read_as(SourceFormat f, const std::string& path, const std::string& text, const ImportOptions& o,
             Tally* tally, std::string* err) {
  if (f != SourceFormat::onnx && !is_text(text)) {
    *err = fmt::format("{}: holds binary data, not a {} (expected text)", path, format_name(f));
    return false;
  }
  switch (f) {
    case SourceFormat::onnx:
      return read_onnx_model(path, OnnxOptions{o.batch, o.dims}, tally, err);
    case SourceFormat::torch_record:
      return read_torch_record(text, path, tally, err);
    case SourceFormat::cudnn_log: {
      CudnnLogReader reader(path, tally);
      read_lines(text, reader);
      return true;
    }
    case SourceFormat::miopen_log:
    case SourceFormat::miopen_commands: {
      MiopenLogReader reader(path, tally);
      read_lines(text, reader);
      return true;
    }
    case SourceFormat::benchdnn_batch:
      return read_benchdnn_batch(path, tally, err);
    case SourceFormat::problems:
      return read_problems(path, text, tally, err);
  }
  return false;
}

}  // namespace

std::string_view format_name(SourceFormat f) {
  for (const auto& [format, name] : kNames)
    if (format == f) return name;
  return "?";
}

const std::vector<SourceFormat>& all_formats() {
  static const std::vector<SourceFormat> formats = [] {
    std::vector<SourceFormat> v;
    for (const auto& [format, name] : kNames) v.push_back(format);
    return v;
  }();
  return formats;
}

bool parse_format_name(std::string_view name, SourceFormat* out) {
  for (const auto& [format, n] : kNames) {
    if (n == name) {
      *out = format;
      return true;
    }
  }
  return false;
}

bool import_file(const std::string& path, const ImportOptions& o, Tally* tally, SourceFormat* format_read,
                 std::string* err) {
  std::string text;
  if (!read_file(path, &text, err)) return false;
  if (text.empty()) {
    *err = fmt::format("{}: the file is empty", path);
    return false;
  }
  SourceFormat f = o.format;
  if (!o.force_format) {
    const std::string_view head = std::string_view(text).substr(0, kHeadBytes);
    for (SourceFormat candidate : all_formats()) {
      if (looks_like(candidate, head)) {
        f = candidate;
        break;
      }
    }
  }
  *format_read = f;
  if (!o.force_format && f == SourceFormat::problems && !is_text(text)) {
    *err = fmt::format(
        "{}: not in a format convprobe reads: expected an ONNX model, the PyTorch recorder's JSON, a cuDNN "
        "API "
        "log, MIOpen's command log, MIOpenDriver commands, a benchdnn batch file or a problems file "
        "(--format forces one)",
        path);
    return false;
  }
  return read_as(f, path, text, o, tally, err);
}

}  // namespace convprobe::sources
