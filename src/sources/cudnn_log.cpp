// The records of a cuDNN API log: which ones count and how (cudnn_log.hpp says why), read as they arrive.
// What one convolution's descriptors say is cudnn_log_fields.cpp's and cudnn_log_problem.cpp's.
#include "sources/cudnn_log.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "base/text.hpp"
#include "sources/cudnn_log_fields.hpp"

namespace convprobe::sources {

namespace {

using cudnn_log::FieldLine;
using cudnn_log::OpFields;
using cudnn_log::OpReader;

enum class Severity { info, warning, error };

/// What a record is, from its function's name.
enum class Kind {
  other,           ///< not a convolution: ignored
  legacy_run,      ///< cudnnConvolutionForward / BackwardData / BackwardFilter: one run
  legacy_search,   ///< cudnnGet/Find*Algorithm*, cudnnGet*WorkspaceSize: the problem, no run
  legacy_fused,    ///< cudnnConvolutionBiasActivationForward: a fusion convprobe does not probe
  graph_finalize,  ///< cudnnBackendFinalize: the problem, no run, when it finalizes a convolution operation
  graph_execute,   ///< cudnnBackendExecute: one run of the plan's convolution
};

constexpr std::string_view kFusedLegacy =
    "fused conv+bias+activation (cudnnConvolutionBiasActivationForward)";
constexpr std::string_view kFusedGraph = "fused operation graph with a convolution (cudnnBackendExecute)";
/// Longest function name a header may carry (cuDNN's are under 60 characters).
constexpr size_t kMaxFunctionName = 128;
/// Longest part of an E! record's message a warning quotes.
constexpr size_t kMaxMessage = 240;

struct Header {
  Severity severity = Severity::info;
  std::string_view function;
};

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > kMaxFunctionName) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

/// "I! CuDNN (v91900 56) function cudnnConvolutionForward() called:" (W!, E! likewise).
std::optional<Header> parse_header(std::string_view line) {
  if (line.size() < 3 || line[1] != '!' || line[2] != ' ') return std::nullopt;
  Header h;
  switch (line[0]) {
    case 'I':
      h.severity = Severity::info;
      break;
    case 'W':
      h.severity = Severity::warning;
      break;
    case 'E':
      h.severity = Severity::error;
      break;
    default:
      return std::nullopt;
  }
  std::string_view rest = line.substr(3);
  constexpr std::string_view kFunction = ") function ";
  const size_t at = rest.find(kFunction);
  if (!rest.starts_with("CuDNN (v") || at == std::string_view::npos || !rest.ends_with("() called:")) {
    return std::nullopt;
  }
  rest = rest.substr(at + kFunction.size());
  h.function = rest.substr(0, rest.size() - std::string_view("() called:").size());
  if (!is_identifier(h.function)) return std::nullopt;
  return h;
}

/// The direction a legacy function's name says, if any.
std::optional<Direction> legacy_direction(std::string_view function) {
  if (function.find("ConvolutionForward") != std::string_view::npos) return Direction::fwd;
  if (function.find("ConvolutionBackwardData") != std::string_view::npos) return Direction::bwd_data;
  if (function.find("ConvolutionBackwardFilter") != std::string_view::npos) return Direction::bwd_weights;
  return std::nullopt;
}

Kind kind_of(std::string_view function) {
  if (function == "cudnnBackendFinalize") return Kind::graph_finalize;
  if (function == "cudnnBackendExecute") return Kind::graph_execute;
  if (function == "cudnnConvolutionBiasActivationForward") return Kind::legacy_fused;
  if (!legacy_direction(function)) return Kind::other;
  if (function == "cudnnConvolutionForward" || function == "cudnnConvolutionBackwardData" ||
      function == "cudnnConvolutionBackwardFilter") {
    return Kind::legacy_run;
  }
  // The algorithm searches and workspace queries take the same descriptors; the MaxCount queries take none.
  const bool query =
      function.starts_with("cudnnGetConvolution") || function.starts_with("cudnnFindConvolution");
  const bool about_a_problem =
      function.find("Algorithm") != std::string_view::npos || function.ends_with("WorkspaceSize");
  if (query && about_a_problem && function.find("MaxCount") == std::string_view::npos) {
    return Kind::legacy_search;
  }
  return Kind::other;
}

/// The record's last line ("i! Process=485; Thread=485; ..."): a record is complete when it arrives.
bool is_closing_line(std::string_view line) {
  return line.size() > 3 && line[1] == '!' && line.substr(3).starts_with("Process=");
}

}  // namespace

struct CudnnLogReader::Record {
  Severity severity = Severity::info;
  Kind kind = Kind::other;
  std::string function;
  int64_t line = 0;
  std::optional<OpReader> op;           ///< the operation whose fields are being read
  std::optional<OpFields> convolution;  ///< the first convolution operation, once read
  int64_t operations = 0;               ///< operations of a graph record, convolutions or not
  int64_t convolutions = 0;
  std::string message;  ///< an E! record's first message

  /// Whether the record speaks of a convolution (so that cutting it short loses one).
  [[nodiscard]] bool about_convolution() const {
    if (severity != Severity::info) return false;
    if (kind == Kind::legacy_run || kind == Kind::legacy_search) return true;
    return convolutions > 0;
  }
};

bool looks_like_cudnn_log(std::string_view head) {
  while (!head.empty()) {
    const size_t end = std::min(head.find('\n'), head.size());
    std::string_view line = head.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (parse_header(line)) return true;
    head.remove_prefix(std::min(end + 1, head.size()));
  }
  return false;
}

CudnnLogReader::CudnnLogReader(std::string origin, Tally* tally)
    : origin_(std::move(origin)), tally_(tally) {}

CudnnLogReader::~CudnnLogReader() = default;

void CudnnLogReader::feed_line(std::string_view line) {
  ++line_;
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (begin_record(line) || !record_) return;
  if (is_closing_line(line)) {
    end_record();
    return;
  }
  if (record_->severity == Severity::error) {
    // "e!     Error: CUDNN_STATUS_BAD_PARAM; Reason: ...": the first message says what went wrong.
    const std::string_view text = trim(line.substr(std::min<size_t>(2, line.size())));
    const bool bookkeeping = text.starts_with("Info:") || text.starts_with("Time:") || text.empty();
    if (record_->message.empty() && line.starts_with("e!") && !bookkeeping) {
      record_->message = std::string(text.substr(0, kMaxMessage));
    }
    return;
  }
  if (record_->severity == Severity::info && record_->kind != Kind::other) read_field(line);
}

void CudnnLogReader::finish() {
  if (record_) end_truncated_record(line_, "the log ends there");
}

bool CudnnLogReader::begin_record(std::string_view line) {
  const auto header = parse_header(line);
  if (!header) return false;
  if (record_) end_truncated_record(line_ - 1, fmt::format("line {} begins another record", line_));
  record_ = std::make_unique<Record>();
  record_->severity = header->severity;
  record_->function = std::string(header->function);
  record_->kind = kind_of(header->function);
  record_->line = line_;
  if (header->severity != Severity::info) return true;
  if (record_->kind == Kind::legacy_fused) tally_->skip(std::string(kFusedLegacy));
  // A legacy call's descriptors are the record's own fields: the operation is the record itself.
  const auto dir = legacy_direction(header->function);
  if (dir && (record_->kind == Kind::legacy_run || record_->kind == Kind::legacy_search)) {
    record_->op.emplace(*dir, 0);
  }
  return true;
}

void CudnnLogReader::read_field(std::string_view line) {
  const auto f = cudnn_log::parse_field_line(line);
  if (!f) return;
  Record& r = *record_;
  if (r.op && !r.op->take(*f)) close_operation();
  if (r.op || !f->opens || !cudnn_log::is_operation_type(f->type)) return;
  // A graph operation: a finalize counts only the operation it finalizes (the record's own descriptor), not
  // operations nested in the graphs, engines and plans it may finalize; an execution counts its plan's.
  const bool own = r.kind == Kind::graph_execute ||
                   (r.kind == Kind::graph_finalize && f->level == 1 && f->name == "descriptor");
  if (!own) return;
  ++r.operations;
  if (const auto dir = cudnn_log::convolution_operation(f->type)) {
    ++r.convolutions;
    r.op.emplace(*dir, f->level);
  }
}

void CudnnLogReader::close_operation() {
  Record& r = *record_;
  if (!r.convolution) r.convolution = r.op->fields();
  r.op.reset();
}

void CudnnLogReader::end_record() {
  Record& r = *record_;
  if (r.op) close_operation();
  if (r.severity == Severity::error && r.kind != Kind::other && r.kind != Kind::graph_finalize) {
    tally_->warn(fmt::format("{}: cuDNN reported an error in {}(): {}", where(r.line), r.function,
                             r.message.empty() ? "(no message)" : r.message));
  }
  if (r.severity == Severity::info) {
    switch (r.kind) {
      case Kind::legacy_run:
        count(1);
        break;
      case Kind::legacy_search:
        if (r.convolution && r.convolution->any_descriptor()) count(0);
        break;
      case Kind::graph_finalize:
        if (r.convolution) count(0);
        break;
      case Kind::graph_execute:
        if (r.convolutions > 0 && r.operations > 1) {
          tally_->skip(std::string(kFusedGraph));
        } else if (r.convolution) {
          count(1);
        }
        break;
      case Kind::legacy_fused:
      case Kind::other:
        break;
    }
  }
  record_.reset();
}

void CudnnLogReader::end_truncated_record(int64_t last_line, std::string_view how_it_ends) {
  if (record_->about_convolution()) {
    tally_->reject(
        where(record_->line),
        fmt::format("truncated: the {}() record ends at line {} without its closing 'Process=' line "
                    "({})",
                    record_->function, last_line, how_it_ends));
  }
  record_.reset();
}

void CudnnLogReader::count(int64_t runs) {
  const Record& r = *record_;
  Problem p;
  std::string why;
  if (!r.convolution || !cudnn_log::to_problem(*r.convolution, &p, &why)) {
    tally_->reject(where(r.line), why.empty() ? "the record has no convolution descriptors" : why);
    return;
  }
  tally_->add(std::move(p), where(r.line), runs);
}

std::string CudnnLogReader::where(int64_t line) const { return fmt::format("{}:{}", origin_, line); }

}  // namespace convprobe::sources
