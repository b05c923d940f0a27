// What differs between two runs' fingerprints (docs/store.md): the answer to "what did the upgrade change?"
// that explains the rest of a comparison. The date is left out (it always differs; the runs' start times are
// shown with the runs); the command line is kept, since a --policy or an option changes results too.
#pragma once

#include <vector>

#include "report/comparison.hpp"

namespace convprobe {

/// One FingerprintChange per field that differs, in the fingerprint's order, then one per environment
/// variable set differently (or on one side only, the other shown as "(unset)"), by name.
[[nodiscard]] std::vector<FingerprintChange> fingerprint_changes(const Fingerprint& a, const Fingerprint& b);

}  // namespace convprobe
