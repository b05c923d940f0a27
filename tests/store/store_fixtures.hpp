// Shared helpers of the store tests: a scratch directory per test, sample trials, raw SQLite access for
// checking what the store wrote (and for playing the "other process").
#pragma once

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "store/store.hpp"

namespace convprobe::test {

/// A fresh directory under the temp dir, removed again at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        std::filesystem::temp_directory_path() / ("convprobe-store-" + std::string(info->test_suite_name()) +
                                                  "-" + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// EXPECT_TRUE(contains(message, part)) prints both when it fails (gmock's HasSubstr without gmock).
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\"\n  does not contain \"" << part << "\"";
}

inline std::string file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
}

inline Problem sample_problem(int64_t h = 8, const std::string& label = "") {
  Problem p;
  p.mb = 2;
  p.ic = 3;
  p.oc = 4;
  p.in = {1, h, h};
  p.kernel = {1, 3, 3};
  p.set_pads({0, 1, 1});
  p.label = label;
  return p;
}

inline Candidate sample_candidate(const std::string& id) {
  Candidate c;
  c.id = id;
  c.family = "direct";
  c.notes = "tensor_core,nondeterministic";
  c.attrs = {{"engine", "67"}, {"knobs", "k2=5,k13=0"}};
  return c;
}

inline TrialResult sample_result(Verdict verdict, const std::string& detail = "ok") {
  TrialResult r;
  r.verdict = verdict;
  r.detail = detail;
  r.phase = verdict == Verdict::pass ? Phase::done : Phase::run;
  if (verdict == Verdict::pass) {
    r.time = Timing{1.25, 1.0, 2.5, 10, 13};
    r.rel_err = 3.5e-7;
  }
  r.workspace_bytes = 4096;
  r.verify = VerifyInfo{true, 16384, 20261125, 1e-5, "f32"};
  r.device = "cpu";
  r.attempt = 1;
  r.wall_ms = 12.5;
  return r;
}

inline Fingerprint sample_fingerprint(const std::string& backend = "fault") {
  Fingerprint fp;
  fp.host = "testhost";
  fp.cpu = "Test CPU @ 3 GHz";
  fp.backend = backend;
  fp.backend_version = "1.0";
  fp.devices = {"cpu (2 threads)"};
  fp.driver = "none";
  fp.convprobe_version = "0.1.0";
  fp.env = {{"MIOPEN_DEBUG_CONV_GEMM", "0"}};
  fp.command_line = "convprobe sweep -b " + backend;
  fp.date = "2026-11-25T10:00:00.000Z";
  return fp;
}

/// Sets an environment variable for the lifetime of the object (unset or restored afterwards).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// A plain SQLite connection, for checking the store's file from "outside".
class RawDb {
 public:
  explicit RawDb(const std::string& path, int flags = SQLITE_OPEN_READWRITE) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  /// Runs SQL; returns SQLite's result code.
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  /// The first column of the first row as text ("" when none).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace convprobe::test
