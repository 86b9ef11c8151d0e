#pragma once
// The channel between the launcher and the child it cloned: a close-on-exec SEQPACKET
// socket pair. The parent sends "go" once its BeforeExec hook ran; the child reports a
// failed step (message, errno, error code) or, for exec, the pid of the process it forked.
// A successful execve closes the child's end, which the parent sees as end-of-file.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <sys/types.h>

#include <optional>

namespace berth::runtime {

struct ChildReport {
    enum class Kind { Error, Pid } kind = Kind::Error;
    pid_t pid = -1;
    std::optional<Error> error;
};

struct ChannelPair {
    sys::UniqueFd parent, child;
};
Result<ChannelPair> makeChannel();

// Parent side.
VoidResult sendGo(int fd);
// Next report, or nullopt on end-of-file (the child exec'd or died without a word).
Result<std::optional<ChildReport>> receiveReport(int fd);
// An error report already waiting on the channel (never blocks), else nullopt.
std::optional<Error> pendingChildError(int fd);

// Child side (no allocation after the message is formatted; failures ignored: the parent
// sees end-of-file and the child's exit status).
void reportError(int fd, const Error& e);
void reportPid(int fd, pid_t pid);
// Blocks until the parent says go; false when the parent went away.
bool waitForGo(int fd);

} // namespace berth::runtime
