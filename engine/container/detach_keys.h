#pragma once
// Docker's --detach-keys: "ctrl-p,ctrl-q" (the default), "ctrl-<a-z @ [ \ ] ^ _>",
// single characters and comma-separated sequences of both, turned into the bytes an
// attached terminal sends (ctrl-p = 0x10). A detach sequence only means something for a
// container with a tty and our stdin attached, as with docker.

#include "berth/run_flags.h"
#include "sys/error.h"

#include <string>
#include <string_view>

namespace berth::container {

inline constexpr std::string_view kDefaultDetachKeys = "ctrl-p,ctrl-q";

// The bytes of a spec (berth/run_flags.h): an empty spec is the default; Errc::InvalidArgument
// names the key that is not understood.
using berth::parseDetachKeys;

// Splits input into what goes to the container and the detach sequence. Bytes that may
// start the sequence are held back until the next byte decides; a partial match that
// stops matching is passed on. No keys: everything is passed on.
class DetachScanner {
public:
    explicit DetachScanner(std::string_view keys) : m_keys(keys) {}
    // Appends what to forward to `out`; true when the sequence was completed.
    bool feed(std::string_view in, std::string& out);

private:
    std::string m_keys;
    size_t m_matched = 0;
};

} // namespace berth::container
