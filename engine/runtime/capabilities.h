#pragma once
// Linux capabilities by name: Docker's default set, --cap-add/--cap-drop arithmetic, and
// the name <-> number table the launcher uses to drop the bounding set and set the
// process's capability sets.

#include "sys/error.h"

#include <string>
#include <vector>

namespace berth::runtime {

// Docker's 14 default capabilities ("CAP_CHOWN", ...).
std::vector<std::string> defaultCapabilities();
// Every capability this kernel knows (up to /proc/sys/kernel/cap_last_cap).
std::vector<std::string> allCapabilities();

// defaults + add - drop. Names may omit "CAP_" and use any case; "ALL" is accepted in both
// lists (drop ALL then add X = only X). An unknown name is an InvalidArgument error.
Result<std::vector<std::string>> resolveCapabilities(const std::vector<std::string>& add,
                                                     const std::vector<std::string>& drop);

// "chown", "CAP_CHOWN", "Cap_Chown" -> CAP_CHOWN's number; error when unknown.
Result<int> capabilityNumber(const std::string& name);
// Canonical "CAP_XXX" for a number ("CAP_31" when not in the table).
std::string capabilityName(int number);

} // namespace berth::runtime
