#include "runtime/capabilities.h"

#include "sys/fs.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace berth::runtime {

namespace {

// Index = capability number (linux/capability.h).
constexpr std::array<std::string_view, 41> kNames = {
    "CAP_CHOWN",           "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",          "CAP_KILL",           "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",         "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",       "CAP_NET_RAW",        "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",      "CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",       "CAP_SYS_ADMIN",      "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",    "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",           "CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",      "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",   "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

int lastCap() {
    static const int last = [] {
        auto text = sys::readFile("/proc/sys/kernel/cap_last_cap", 64);
        if (text) {
            try {
                return std::stoi(*text);
            } catch (...) {
            }
        }
        return int(kNames.size()) - 1;
    }();
    return last;
}

std::string canonical(const std::string& name) {
    std::string up;
    for (char c : name) up += char(std::toupper(static_cast<unsigned char>(c)));
    if (up != "ALL" && !up.starts_with("CAP_")) up = "CAP_" + up;
    return up;
}

} // namespace

std::vector<std::string> defaultCapabilities() {
    return {"CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
            "CAP_MKNOD",  "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
            "CAP_SETFCAP", "CAP_SETPCAP",     "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
            "CAP_KILL",   "CAP_AUDIT_WRITE"};
}

std::vector<std::string> allCapabilities() {
    std::vector<std::string> all;
    for (int i = 0; i <= lastCap(); ++i) all.push_back(capabilityName(i));
    return all;
}

Result<int> capabilityNumber(const std::string& name) {
    std::string c = canonical(name);
    for (size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == c) return int(i);
    if (c.starts_with("CAP_") && c.size() > 4 &&
        std::all_of(c.begin() + 4, c.end(), [](char ch) { return std::isdigit(ch); })) {
        int n = std::stoi(c.substr(4));
        if (n <= lastCap()) return n;
    }
    return fail(Errc::InvalidArgument, fmt::format("unknown capability `{}`", name));
}

std::string capabilityName(int number) {
    if (number >= 0 && size_t(number) < kNames.size()) return std::string(kNames[number]);
    return fmt::format("CAP_{}", number);
}

Result<std::vector<std::string>> resolveCapabilities(const std::vector<std::string>& add,
                                                     const std::vector<std::string>& drop) {
    std::vector<std::string> caps = defaultCapabilities();
    auto contains = [](const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    for (const auto& d : drop) {
        std::string c = canonical(d);
        if (c == "ALL") {
            caps.clear();
            continue;
        }
        BERTH_TRY_CTX(capabilityNumber(c), "--cap-drop");
        std::erase(caps, c);
    }
    for (const auto& a : add) {
        std::string c = canonical(a);
        if (c == "ALL") {
            for (auto& n : allCapabilities())
                if (!contains(caps, n)) caps.push_back(n);
            continue;
        }
        BERTH_TRY_CTX(capabilityNumber(c), "--cap-add");
        if (!contains(caps, c)) caps.push_back(c);
    }
    return caps;
}

} // namespace berth::runtime
