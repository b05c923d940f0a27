#include "report/run_list.hpp"

#include <string>

#include "base/text.hpp"
#include "report/document.hpp"
#include "report/text_table.hpp"

namespace convprobe {

nlohmann::json stored_run_json(const StoredRun& run, int64_t trial_count) {
  nlohmann::json j = run_json(run.fingerprint, run.id);
  j["started_at"] = run.started_at;
  j["trials"] = trial_count;
  return j;
}

void print_run_table(FILE* out, const std::vector<StoredRun>& runs,
                     const std::map<int64_t, int64_t>& counts) {
  TextTable table(
      {"run", "started_at", "backend", "version", "devices", "host", "identity", "trials", "command"});
  for (const auto& run : runs) {
    const Fingerprint& fp = run.fingerprint;
    const auto count = counts.find(run.id);
    table.add_row({std::to_string(run.id), run.started_at, fp.backend, fp.backend_version,
                   join(fp.devices, ", "), fp.host, fp.identity(),
                   std::to_string(count == counts.end() ? 0 : count->second), fp.command_line});
  }
  table.print(out);
}

}  // namespace convprobe
