#include "jobs/model_import.hpp"

#include <fmt/core.h>

#include <charconv>

#include "base/text.hpp"
#include "jobs/usage_error.hpp"
#include "sources/problems_text.hpp"

namespace convprobe {

namespace {

sources::ImportOptions import_options(const ModelImportOptions& o) {
  sources::ImportOptions io;
  if (!o.format.empty()) {
    if (!sources::parse_format_name(o.format, &io.format))
      throw UsageError(fmt::format("--format {}: expected one of {}", o.format, source_format_names()));
    io.force_format = true;
  }
  if (o.batch == 0 || o.batch < -1)
    throw UsageError(fmt::format("--batch {}: expected a positive integer", o.batch));
  io.batch = o.batch;
  for (const auto& d : o.dims) {
    const auto eq = d.find('=');
    int64_t value = 0;
    const char* end = d.data() + d.size();
    if (eq == std::string::npos || eq == 0 || std::from_chars(d.data() + eq + 1, end, value).ptr != end ||
        value < 1)
      throw UsageError(
          fmt::format("--dim {}: expected NAME=VALUE with a positive VALUE, e.g. --dim seq=128", d));
    io.dims[d.substr(0, eq)] = value;
  }
  return io;
}

void check_expressible(const sources::Tally& t, bool skip_bad) {
  if (t.rejections().empty() || skip_bad) return;
  constexpr size_t kShown = 10;
  std::vector<std::string> lines;
  for (size_t i = 0; i < t.rejections().size() && i < kShown; ++i)
    lines.push_back(t.rejections()[i].where + ": " + t.rejections()[i].why);
  if (t.rejections().size() > kShown)
    lines.push_back(fmt::format("... and {} more", t.rejections().size() - kShown));
  throw UsageError(
      fmt::format("{} convolution(s) convprobe cannot express (nothing was written; --skip-bad "
                  "keeps the others):\n  {}",
                  t.rejections().size(), join(lines, "\n  ")));
}

}  // namespace

nlohmann::json tally_json(const sources::Tally& t) {
  nlohmann::json j;
  j["summary"] = sources::tally_summary(t);
  j["problems"] = nlohmann::json::array();
  for (const auto& p : t.problems())
    j["problems"].push_back(
        {{"problem", to_string(p)}, {"key", key(p)}, {"runs", p.runs}, {"label", p.label}});
  j["skipped"] = t.skipped();
  j["rejected"] = nlohmann::json::array();
  for (const auto& r : t.rejections()) j["rejected"].push_back({{"where", r.where}, {"why", r.why}});
  j["warnings"] = t.warnings();
  return j;
}

std::string source_format_names() {
  std::vector<std::string> names;
  for (auto f : sources::all_formats()) names.emplace_back(sources::format_name(f));
  return join(names, ", ");
}

ModelImport import_models(const ModelImportOptions& o) {
  if (o.files.empty()) throw UsageError("no file to import");
  const sources::ImportOptions io = import_options(o);
  ModelImport out;
  for (const auto& file : o.files) {
    sources::Tally one;
    sources::SourceFormat format{};
    std::string err;
    if (!sources::import_file(file, io, &one, &format, &err)) throw UsageError(err);
    out.read_as.push_back(fmt::format("{} ({})", file, sources::format_name(format)));
    out.tally.merge(one);
  }
  check_expressible(out.tally, o.skip_bad);
  if (out.tally.problems().empty())
    throw UsageError(fmt::format("{}: no convolution found ({})", join(out.read_as, ", "),
                                 sources::tally_summary(out.tally)));
  return out;
}

}  // namespace convprobe
