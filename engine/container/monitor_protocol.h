#pragma once
// The messages between a berth-monitor and the process that started it (or an exec
// helper and its caller), over a SOCK_SEQPACKET socketpair: one message per packet, the
// first byte says what it is. The first message from the monitor answers "did it start?".
// Later clients (`berth attach`) connect to the monitor's attach.sock in the container's
// directory and speak the same messages, without the Started/Failed answer.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <filesystem>

#include <string>
#include <string_view>
#include <utility>

namespace berth::container::protocol {

enum class Msg : char {
    Started = 'S',     // monitor -> client: payload = the init's host pid
    Failed = 'F',      // monitor -> client: payload = "<exit code>\n<errc>\n<message>"
    Stdout = 'O',      // monitor -> client: output bytes
    Stderr = 'E',
    Exited = 'X',      // monitor -> client: payload = exit code; the container is done
    Stdin = 'I',       // client -> monitor: input bytes
    StdinClose = 'C',  // client -> monitor: end of input
    Resize = 'W',      // client -> monitor / exec helper: "<rows> <cols>" (decodeWindowSize)
    Signal = 'K',      // client -> monitor: signal number for the init (docker's sig-proxy)
    Detached = 'D',    // exec helper -> caller: the user typed the detach keys (exec -it)
    Settings = 'G',    // client -> monitor, first: the engine's settings (monitor_settings.h)
};

constexpr size_t kMaxPayload = 32768;

// Sends one message (MSG_NOSIGNAL: a vanished peer is an error, not a SIGPIPE).
VoidResult send(int fd, Msg type, std::string_view payload = {});
// Receives one message; Errc::NotFound at end of stream (the peer closed).
Result<std::pair<Msg, std::string>> receive(int fd);

// A Resize payload: false unless two numbers of 1..65535.
bool decodeWindowSize(std::string_view payload, unsigned short& rows, unsigned short& cols);

// The Failed payload, and the Error it stands for.
std::string encodeFailure(const Error& e, int exitCode);
Error decodeFailure(std::string_view payload, int& exitCode);

// The monitor's listening socket for `attach`: `<containerDir>/attach.sock`, mode 0600.
// Bound and connected through /proc/self/fd/N/attach.sock, since a store's path may be
// longer than a socket address holds (108 bytes).
constexpr const char* kAttachSocketName = "attach.sock";
Result<sys::UniqueFd> listenAttach(const std::filesystem::path& containerDir);
Result<sys::UniqueFd> connectAttach(const std::filesystem::path& containerDir);

} // namespace berth::container::protocol
