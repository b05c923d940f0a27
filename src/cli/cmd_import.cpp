// `convprobe import FILE... [-o problems.txt]`: a model, a saved log or a batch file as a problems file with
// counts and provenance (jobs/model_import.hpp; docs/problems.md "Where problems come from").
#include <fmt/core.h>

#include <cstdio>

#include "base/files.hpp"
#include "base/text.hpp"
#include "cli/cli.hpp"
#include "jobs/model_import.hpp"
#include "report/document.hpp"
#include "sources/problems_text.hpp"
#include "store/store_time.hpp"

namespace convprobe::cli {

namespace {

constexpr const char* kFooter = R"(Formats, recognized from the content (--format forces one):
  onnx             an ONNX model: every Conv (forward) and ConvTranspose (backward data), after shape inference
  torch-record     the JSON of the PyTorch recorder (python3 -m convprobe_torch, or convprobe_torch.record())
  cudnn-log        cuDNN's API log (CUDNN_LOGLEVEL_DBG=3 CUDNN_LOGDEST_DBG=FILE): legacy and graph API
  miopen-log       MIOpen's command log (MIOPEN_ENABLE_LOGGING_CMD=1; the program's stderr saved)
  miopen-commands  MIOpenDriver command lines, one per line
  benchdnn-batch   a oneDNN benchdnn conv batch file (--dir, --dt, --batch=... and descriptors)
  problems         convprobe's own problems file

Examples:
  convprobe import model.onnx --batch 32 -o model.txt
  convprobe import train-stderr.log                 # to stdout
  convprobe sweep --model model.onnx --batch 32 -b cudnn   # import on the fly

Exit codes: 0 ok; 2 bad input (an unreadable file, an unknown format, a convolution convprobe cannot express:
each named with its file and line or node; nothing is written).)";

struct ImportCliOptions {
  ModelImportOptions import;
  std::string output;
  std::string json;
};

nlohmann::json import_json(const ModelImport& m) {
  nlohmann::json doc = document_header();
  doc["read"] = m.read_as;
  doc.update(tally_json(m.tally));
  return doc;
}

void run(const ImportCliOptions& o) {
  const ModelImport m = import_models(o.import);
  const std::string text = sources::problems_file_text(
      m.tally, {fmt::format("imported by convprobe {} on {} from {}", CONVPROBE_VERSION,
                            store_detail::utc_now_iso8601(), join(m.read_as, ", "))});
  if (!o.json.empty()) write_json_output(o.json, import_json(m));
  for (const auto& w : m.tally.warnings()) fmt::print(stderr, "convprobe: warning: {}\n", w);
  if (o.output.empty()) {
    if (o.json != "-") std::fputs(text.c_str(), stdout);
    return;
  }
  std::string err;
  if (!write_file_atomically(o.output, text, &err)) throw std::runtime_error("-o: " + err);
  fmt::print(stderr, "convprobe: {}; wrote {}\n", sources::tally_summary(m.tally), o.output);
}

}  // namespace

void add_import_command(CLI::App& app, CliState& state) {
  auto o = std::make_shared<ImportCliOptions>();
  auto* cmd = app.add_subcommand("import", "Read a model, a saved log or a batch file as a problems file");
  cmd->add_option("files", o->import.files, "Files to read (several are merged, counts added up)")
      ->required();
  cmd->add_option("-o,--output", o->output, "Problems file to write (whole or not at all); default stdout");
  cmd->add_option("--format", o->import.format, "Force the format: " + source_format_names());
  cmd->add_option("--batch", o->import.batch, "Value of a symbolic batch dimension (ONNX)");
  cmd->add_option("--dim", o->import.dims, "NAME=VALUE for another symbolic dimension (ONNX); repeatable");
  cmd->add_flag("--skip-bad", o->import.skip_bad,
                "Write what can be expressed and list the rest as comments, instead of failing");
  cmd->add_option("--json", o->json, "Also write a summary document to FILE, or to stdout with '-'");
  cmd->footer(kFooter);
  cmd->callback([o, &state] {
    run(*o);
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
