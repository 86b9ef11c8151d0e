#pragma once
// Signals as docker names them, for `berth kill -s`, the Docker API's ?signal= and anything
// else that takes a signal from a user: one table of names for every front-end.

#include "berth/error.h"

#include <string_view>

namespace berth {

// "SIGTERM", "TERM", "term", "15" -> 15; Errc::InvalidArgument for an unknown name or a
// number outside 1..64.
Result<int> parseSignal(std::string_view name);

} // namespace berth
