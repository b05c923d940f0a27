// The session (jobs/session.hpp): `--devices all` is resolved once, to every device the backend reports, and
// a --devices index the backend lacks is a usage error when the command has --devices. The fault backend
// (two virtual devices by default), loaded in this process.
#include "jobs/session.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "jobs/usage_error.hpp"

namespace convprobe {
namespace {

SessionOptions fault_session() {
  setenv("CONVPROBE_PLUGIN_PATH", CONVPROBE_TEST_BIN_DIR, 0);
  unsetenv("CONVPROBE_FAULT_DEVICES");
  SessionOptions o;
  o.executor.backend = "fault";
  o.executor.in_process = true;
  return o;
}

TEST(Session, DevicesAllIsEveryDeviceTheBackendReports) {
  SessionOptions o = fault_session();
  o.all_devices = true;
  Session session(o);
  ASSERT_TRUE(session.info().available) << session.info().reason;
  EXPECT_EQ(session.devices(), (std::vector<int>{0, 1}));
  EXPECT_EQ(session.fingerprint().devices.size(), 2u);
}

TEST(Session, GivenDevicesAreKeptAndChecked) {
  SessionOptions o = fault_session();
  o.executor.devices = {1};
  o.check_devices = true;
  EXPECT_EQ(Session(o).devices(), std::vector<int>{1});
  o.executor.devices = {0, 5};
  try {
    Session s(o);
    FAIL() << "device 5 accepted";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--devices: backend fault has no device 5 (2 device(s))");
  }
  o.check_devices = false;  // a command without --devices: not its business
  EXPECT_EQ(Session(o).devices(), (std::vector<int>{0, 5}));
}

TEST(Session, NothingIsStoredUntilAStoreIsOpened) {
  Session session(fault_session());
  EXPECT_FALSE(session.storing());
  EXPECT_EQ(session.run_id(), -1);
  EXPECT_TRUE(session.db_path().empty());
}

}  // namespace
}  // namespace convprobe
