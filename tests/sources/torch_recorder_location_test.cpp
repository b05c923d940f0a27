// Where convprobe finds the recorder package: $CONVPROBE_PYTHONPATH, the build tree's python/ next to bin/,
// the installed share folder, in that order, and only a folder that holds convprobe_torch/__init__.py.
#include "sources/torch_recorder_location.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace convprobe::sources {
namespace {

namespace fs = std::filesystem;

TEST(TorchRecorderLocation, CandidatesInOrder) {
  const auto dirs = recorder_python_candidates("", "/opt/cp/bin/convprobe");
  ASSERT_EQ(dirs.size(), 3u);
  EXPECT_EQ(dirs[0], "/opt/cp/python");                     // a build tree: build/bin/convprobe, build/python
  EXPECT_TRUE(dirs[1].starts_with("/opt/cp/")) << dirs[1];  // installed under a moved prefix
  EXPECT_TRUE(dirs[1].ends_with("/convprobe/python")) << dirs[1];
  EXPECT_TRUE(dirs[2].ends_with("/convprobe/python")) << dirs[2];  // the configured install folder
  const auto with_env = recorder_python_candidates("/home/me/py", "/opt/cp/bin/convprobe");
  ASSERT_EQ(with_env.size(), 4u);
  EXPECT_EQ(with_env[0], "/home/me/py");
  EXPECT_EQ(recorder_python_candidates("", "").size(), 1u);
}

TEST(TorchRecorderLocation, FirstFolderHoldingThePackage) {
  const fs::path root = fs::temp_directory_path() / ("convprobe_loc_" + std::to_string(::getpid()));
  fs::create_directories(root / "empty");
  fs::create_directories(root / "has" / "convprobe_torch");
  std::ofstream(root / "has" / "convprobe_torch" / "__init__.py") << "\n";
  EXPECT_EQ(
      first_with_recorder({(root / "missing").string(), (root / "empty").string(), (root / "has").string()}),
      (root / "has").string());
  EXPECT_EQ(first_with_recorder({(root / "empty").string()}), "");
  fs::remove_all(root);
}

TEST(TorchRecorderLocation, TheBuildTreeCopy) {
  // The build copies python/convprobe_torch next to bin/ (python/CMakeLists.txt); this test runs from bin/.
  const char* saved = std::getenv("CONVPROBE_PYTHONPATH");
  const std::string keep = saved != nullptr ? saved : "";
  ::unsetenv("CONVPROBE_PYTHONPATH");
  EXPECT_EQ(recorder_python_path(),
            (fs::path(CONVPROBE_TEST_BIN_DIR) / ".." / "python").lexically_normal().string());
  if (saved != nullptr) ::setenv("CONVPROBE_PYTHONPATH", keep.c_str(), 1);
}

}  // namespace
}  // namespace convprobe::sources
