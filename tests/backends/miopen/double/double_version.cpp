#include "double_version.hpp"

#include <cstdlib>
#include <string>

namespace convprobe_double {
namespace {

// MIOpen versions from each tag's CMakeLists.txt `rocm_setup_version(VERSION …)`:
//  rocm-5.2.0 (3ddc968c) CMakeLists.txt:89   2.17.0 (ROCm 5.1 shipped 2.16.0; the double said 2.16 before)
//  rocm-5.7.0 (f185a646) CMakeLists.txt:95   2.20.0
//  rocm-6.2.0 (36bb7fd4) CMakeLists.txt:114  3.2.0  — the double's "6.x" is ROCm 6.2 / MIOpen 3.2.0
//  7.x: ROCm/rocm-libraries projects/miopen CHANGELOG lists MIOpen 3.5.x for ROCm 7.0 and later; 3.5.1 is the
//       version in a real user find-db name (rocm-libraries#3522:
//       gfx942_38.HIP.3_5_1_b3811300ed-dirty.ufdb.txt).
// Tweaks: the tag commits for 5.2/5.7/6.2 (what a git-described release build would carry; the exact tweak of
// AMD's packages was not checked), the #3522 one for 7.x. HIP versions: plausible build numbers per release,
// nothing depends on their last digits.
constexpr Version kVersions[] = {
    {Release::rocm52, "5.2", 2, 17, 0, "3ddc968c", 50221151},
    {Release::rocm57, "5.7", 2, 20, 0, "f185a646", 50731921},
    {Release::rocm6x, "6.x", 3, 2, 0, "36bb7fd4", 60241134},
    {Release::rocm7x, "7.x", 3, 5, 1, "b3811300ed", 70051831},
};

const Version& select() {
  const char* v = std::getenv("CONVPROBE_MIOPEN_DOUBLE_VERSION");
  const std::string want = v != nullptr ? v : "";
  for (const auto& k : kVersions) {
    if (want == k.rocm) return k;
  }
  return kVersions[0];
}

}  // namespace

const Version& version() {
  static const Version& v = select();
  return v;
}

}  // namespace convprobe_double
