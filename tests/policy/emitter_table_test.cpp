// The table of formats: every row is complete, and every row's output round-trips through its own read_back
// and through read_policy_source (the reader behind `verify`), which no other row claims.
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "emitter_fixtures.hpp"
#include "policy/emit_cudnn_errata.hpp"
#include "policy/emitters.hpp"

namespace convprobe {
namespace {

/// Stored trials for a row's backend ("" = any backend: the fault backend's). A new row needs one here.
std::vector<StoredTrial> trials_for(std::string_view backend) {
  if (backend.empty()) return test::fault_trials();
  if (backend == "miopen") return test::miopen_trials();
  if (backend == "cudnn") return test::cudnn_trials();
  if (backend == "onednn") return test::onednn_trials();
  return {};
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("convprobe_emitter_table-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // MIOpen reads records only from a file named as its user find-db: the find-db row reads no other.
  const auto path = dir / (name == "miopen-finddb" ? "gfx1010_36.HIP.2_17_0_3ddc968c.ufdb.txt" : name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

/// What `policy --emit <row>` would write for the row's fixture trials.
struct Emitted {
  Policy policy;
  EmitResult result;
};

Emitted emit_row(const Emitter& row, const std::vector<StoredTrial>& trials) {
  PolicyOptions options;
  options.block_slower = 1.2;
  if (row.yardstick) options.yardstick = row.yardstick;
  Emitted out;
  out.policy = derive_policy(trials.at(0).backend, trials, options);
  out.policy.backend_version = "9.19.0";
  out.result = row.emit(EmitInput{&out.policy, &trials, ""});
  return out;
}

TEST(EmitterTable, EveryRowIsCompleteAndFoundByName) {
  std::set<std::string_view> names;
  for (const Emitter& row : emitters()) {
    EXPECT_FALSE(row.name.empty());
    EXPECT_FALSE(row.help.empty()) << row.name;
    EXPECT_NE(row.emit, nullptr) << row.name;
    EXPECT_NE(row.read_back, nullptr) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << "two rows named " << row.name;
    EXPECT_EQ(find_emitter(row.name), &row);
  }
  EXPECT_EQ(find_emitter("yaml"), nullptr);
  EXPECT_EQ(emitter_names(), "convprobe, miopen-env, miopen-finddb, cudnn-errata or onednn-env");
  EXPECT_EQ(emitter_names_for_any_backend(), "convprobe");
  EXPECT_EQ(
      emitter_help(),
      "convprobe (JSON for verify/run/sweep --policy), miopen-env (sh profile), miopen-finddb (records "
      "for MIOpen's user find-db), cudnn-errata (CUDNN_ERRATA_JSON_FILE), onednn-env (ONEDNN_MAX_CPU_ISA)");
  // PyTorch can only be offered cuDNN's heuristics configs: they are the errata format's yardstick.
  EXPECT_EQ(find_emitter("cudnn-errata")->yardstick, &cudnn_heuristics_offered);
  EXPECT_EQ(find_emitter("convprobe")->yardstick, nullptr);
  for (const Emitter& row : emitters()) EXPECT_TRUE(row.verify_reads) << row.name;
}

TEST(EmitterTable, EveryRowRoundTripsThroughItsReadBackAndNoOtherRowClaimsIt) {
  for (const Emitter& row : emitters()) {
    SCOPED_TRACE(std::string(row.name));
    const auto trials = trials_for(row.backend);
    ASSERT_FALSE(trials.empty()) << "no fixture trials for backend " << row.backend;
    const Emitted emitted = emit_row(row, trials);
    ASSERT_FALSE(emitted.policy.blocked.empty());

    const std::string path = write_temp(std::string(row.name), emitted.result.content);
    PolicySource source;
    std::string err;
    if (!row.verify_reads) {  // recognised and refused with the reason, by its own row only
      EXPECT_FALSE(read_policy_source(path, &source, &err));
      EXPECT_NE(err.find(std::string(row.name)), std::string::npos) << err;
      PolicyText file{path, path, emitted.result.content, std::nullopt};
      for (const Emitter& other : emitters()) {
        EXPECT_EQ(other.read_back(file, &source, &err),
                  &other == &row ? ReadBack::invalid : ReadBack::not_this_format)
            << other.name;
      }
      std::filesystem::remove(path);
      continue;
    }
    ASSERT_TRUE(read_policy_source(path, &source, &err)) << err;
    EXPECT_EQ(source.format, row.name);
    EXPECT_EQ(source.backend, emitted.policy.backend);
    EXPECT_EQ(source.path, std::filesystem::absolute(path).string());
    EXPECT_TRUE(!source.env.empty() || source.policy) << "read back nothing a worker could use";

    PolicyText file{path, source.path, emitted.result.content, std::nullopt};
    if (emitted.result.content.front() == '{') file.json = nlohmann::json::parse(emitted.result.content);
    for (const Emitter& other : emitters()) {
      PolicySource ignored;
      const ReadBack claim = other.read_back(file, &ignored, &err);
      EXPECT_EQ(claim, &other == &row ? ReadBack::read : ReadBack::not_this_format) << other.name;
    }
    std::filesystem::remove(path);
  }
}

/// The profile formats read back exactly what they export; the convprobe format its policy; errata its rules.
TEST(EmitterTable, ReadBackKeepsWhatEachFormatSays) {
  for (const Emitter& row : emitters()) {
    SCOPED_TRACE(std::string(row.name));
    if (!row.verify_reads) continue;
    const auto trials = trials_for(row.backend);
    const Emitted emitted = emit_row(row, trials);
    const std::string path = write_temp(std::string(row.name), emitted.result.content);
    PolicySource source;
    std::string err;
    ASSERT_TRUE(read_policy_source(path, &source, &err)) << err;
    if (source.policy) {
      ASSERT_EQ(source.policy->blocked.size(), emitted.policy.blocked.size());
      EXPECT_EQ(source.policy->blocked[0].candidate.id, emitted.policy.blocked[0].candidate.id);
    } else if (source.errata_rules > 0) {
      EXPECT_EQ(source.errata_rules, nlohmann::json::parse(emitted.result.content)["rules"].size());
      EXPECT_EQ(source.env.at("CUDNN_ERRATA_JSON_FILE"), source.path);
      EXPECT_TRUE(source.every_shape);
    } else if (row.name == "miopen-finddb") {
      // Each record's solver, MIOpen's user db folder for the workers, and the framework candidates asked
      // for.
      EXPECT_FALSE(source.finddb_solvers.empty());
      for (const auto& [k, solvers] : source.finddb_solvers) {
        ASSERT_EQ(solvers.size(), 1u) << k;
        EXPECT_NE(emitted.result.content.find(k + "="), std::string::npos) << k;
        EXPECT_NE(emitted.result.content.find(solvers[0]), std::string::npos) << k;
      }
      EXPECT_EQ(source.env.at("MIOPEN_USER_DB_PATH"),
                std::filesystem::path(source.path).parent_path().string());
      EXPECT_EQ(source.verify_env.at("CONVPROBE_MIOPEN_FRAMEWORK"), "list");
      EXPECT_TRUE(source.every_shape);
    } else {
      std::map<std::string, std::string> exported;
      ASSERT_TRUE(parse_profile(emitted.result.content, &exported, &err)) << err;
      EXPECT_EQ(source.env, exported);
      for (const auto& [name, value] : exported) {
        // policy prints NAME=VALUE (or NAME=VALUE: why) on stderr for each export
        const std::string assignment = fmt::format("{}={}", name, value);
        bool announced = false;
        for (const auto& n : emitted.result.notes) announced |= n.rfind(assignment, 0) == 0;
        EXPECT_TRUE(announced) << name;
      }
    }
    std::filesystem::remove(path);
  }
}

TEST(EmitterTable, FilesNoRowWroteAreClaimedAsBefore) {
  PolicySource source;
  std::string err;
  const std::string empty = write_temp("empty.sh", "# nothing\n");
  const std::string other = write_temp("other.json", R"({"backend": "fault"})");
  const std::string broken = write_temp("broken.json", "{\"rules\": [");
  // A profile that sets nothing is read as miopen-env with no backend (verify then asks for -b).
  ASSERT_TRUE(read_policy_source(empty, &source, &err)) << err;
  EXPECT_EQ(source.format, "miopen-env");
  EXPECT_EQ(source.backend, "");
  // Any JSON without "rules" is read as a convprobe policy, so the error says what such a file lacks.
  EXPECT_FALSE(read_policy_source(other, &source, &err));
  EXPECT_NE(err.find("schema_version"), std::string::npos) << err;
  EXPECT_FALSE(read_policy_source(broken, &source, &err));
  EXPECT_NE(err.find("is not valid JSON"), std::string::npos) << err;
  for (const auto& path : {empty, other, broken}) std::filesystem::remove(path);
}

}  // namespace
}  // namespace convprobe
