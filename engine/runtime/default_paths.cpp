#include "runtime/default_paths.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <charconv>

namespace berth::runtime {

// Source: moby/moby daemon/pkg/oci/defaults.go, `defaultLinuxMaskedPaths` and the default
// spec's `ReadonlyPaths`, as of moby commit b985e23 (2026-08-23; the file last changed
// 2026-04-27 in d5370d3). Moby masks /proc/interrupts and each possible CPU's thermal_throttle
// directory since GHSA-6fw5-f8r9-fgfm, /sys/devices/virtual/powercap since
// GHSA-jq35-85cj-fj4p. Keep this list in step with it; nothing else in Berth lists them.
namespace {

constexpr const char* kMasked[] = {
    "/proc/acpi",      "/proc/asound",    "/proc/interrupts", "/proc/kcore",
    "/proc/keys",      "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi",
    "/proc/timer_list", "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware",
};

constexpr const char* kReadonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

// Like moby's platform.PossibleCPU(): the kernel's list of possible CPUs, else 0..n.
std::vector<int> possibleCpus() {
    int fd = ::open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[256];
        ssize_t n = ::read(fd, buf, sizeof buf - 1);
        ::close(fd);
        if (n > 0) {
            auto cpus = parseCpuList(std::string_view(buf, size_t(n)));
            if (!cpus.empty()) return cpus;
        }
    }
    std::vector<int> cpus;
    long n = ::sysconf(_SC_NPROCESSORS_CONF);
    for (int i = 0; i <= n; ++i) cpus.push_back(i);
    return cpus;
}

} // namespace

std::vector<int> parseCpuList(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    std::vector<int> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        int first = 0, last = 0;
        auto dash = item.find('-');
        auto number = [](std::string_view s, int& v) {
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            return ec == std::errc() && p == s.data() + s.size() && v >= 0;
        };
        if (!number(item.substr(0, dash), first)) return {};
        last = first;
        if (dash != std::string_view::npos && !number(item.substr(dash + 1), last)) return {};
        if (last < first || last - first > 65536) return {};
        for (int c = first; c <= last; ++c) out.push_back(c);
    }
    return out;
}

const std::vector<std::string>& defaultMaskedPaths() {
    static const std::vector<std::string> paths = [] {
        std::vector<std::string> p(std::begin(kMasked), std::end(kMasked));
        // Masking skips paths that do not exist (no such CPU directory, no such driver).
        for (int cpu : possibleCpus()) p.push_back(fmt::format("/sys/devices/system/cpu/cpu{}/thermal_throttle", cpu));
        return p;
    }();
    return paths;
}

const std::vector<std::string>& defaultReadonlyPaths() {
    static const std::vector<std::string> paths(std::begin(kReadonly), std::end(kReadonly));
    return paths;
}

} // namespace berth::runtime
