#include "report/document.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "store/fingerprint.hpp"

namespace convprobe {

nlohmann::json run_json(const Fingerprint& fp, int64_t run_id) {
  nlohmann::json j = fingerprint_to_json(fp);
  if (run_id >= 0) j["id"] = run_id;
  return j;
}

nlohmann::json document_header() { return nlohmann::json{{"schema_version", kJsonSchemaVersion}}; }

nlohmann::json document_header(const Fingerprint& fp, int64_t run_id) {
  nlohmann::json doc = document_header();
  doc["run"] = run_json(fp, run_id);
  return doc;
}

void write_json_output(const std::string& path, const nlohmann::json& doc) {
  // Details may hold a worker's raw stderr: invalid UTF-8 is replaced rather than failing the whole report.
  const std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error(fmt::format("cannot write JSON to '{}': {}", path, std::strerror(errno)));
  f << text;
  if (!f.flush())
    throw std::runtime_error(fmt::format("cannot write JSON to '{}': {}", path, std::strerror(errno)));
}

}  // namespace convprobe
