// Fuzz target `seccomp_profile`: Docker-format seccomp profiles (runtime/seccomp_profile.h)
// as `--security-opt seccomp=<file>` passes them, compiled with libseccomp into BPF. The
// first byte picks the capabilities the container has (bit 0: Docker's default 14 only,
// else also CAP_SYS_ADMIN and CAP_SYS_PTRACE; bit 1: none at all), which decide the rules a
// profile gates on "caps"; the rest is the JSON. Property: a profile that compiles gives a
// program the kernel can take (at most BPF_MAXINSNS instructions, not empty).

#include "fuzz_target.h"

#include "runtime/seccomp_profile.h"

#include <fmt/format.h>

#include <string>
#include <vector>

using namespace berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::vector<std::string> caps;
    if (!(data[0] & 2)) {
        caps = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"};
        if (data[0] & 1) caps.insert(caps.end(), {"CAP_SYS_ADMIN", "CAP_SYS_PTRACE"});
    }
    std::string json(fuzz::asText(data + 1, size - 1));
    auto program = runtime::compileSeccompProfile(json, caps);
    if (program) {
        FUZZ_CHECK(!program->empty(), "a profile compiled to an empty program");
        FUZZ_CHECK(program->instructions.size() <= 4096,
                   fmt::format("{} BPF instructions: more than the kernel takes", program->instructions.size()));
    }
    return 0;
}
