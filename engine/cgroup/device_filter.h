#pragma once
// Device access rules for cgroup v2, where the devices controller is an eBPF program of
// type BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup: the rules (v1 devices.allow
// syntax, "c 1:3 rwm") become a program that allows what a rule matches and denies the rest.

#include "sys/error.h"

#include <linux/bpf.h>

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace berth::cgroup {

struct DeviceRule {
    char type = 'a';       // 'a' (any), 'c' or 'b'
    int64_t major = -1;    // -1: any
    int64_t minor = -1;    // -1: any
    uint32_t access = 0;   // BPF_DEVCG_ACC_* bits (mknod 1, read 2, write 4)
};

// Parses "c 1:3 rwm", "b *:* m", "a".
Result<DeviceRule> parseDeviceRule(std::string_view text);

// A program that returns 1 (allow) when any rule matches the access, else 0.
std::vector<bpf_insn> compileDeviceFilter(const std::vector<DeviceRule>& allow);

// Loads the program and attaches it to the cgroup directory (BPF_F_ALLOW_MULTI, so a
// parent's program still applies too). The attachment lives as long as the cgroup.
VoidResult attachDeviceFilter(const std::filesystem::path& cgroupDir,
                              const std::vector<bpf_insn>& program);

} // namespace berth::cgroup
