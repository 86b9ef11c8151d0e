#include "runtime/mount_options.h"

#include <sys/mount.h>

#include <fmt/format.h>

#include <string_view>

namespace berth::runtime {

namespace {

struct FlagWord {
    std::string_view word;
    bool clear;
    unsigned long flag;
};

constexpr FlagWord kFlags[] = {
    {"ro", false, MS_RDONLY},          {"rw", true, MS_RDONLY},
    {"nosuid", false, MS_NOSUID},      {"suid", true, MS_NOSUID},
    {"nodev", false, MS_NODEV},        {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC},      {"exec", true, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},   {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},      {"nomand", true, MS_MANDLOCK},
    {"atime", true, MS_NOATIME},       {"noatime", false, MS_NOATIME},
    {"diratime", true, MS_NODIRATIME}, {"nodiratime", false, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},  {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME}, {"nostrictatime", true, MS_STRICTATIME},
};

struct PropagationWord {
    std::string_view word;
    unsigned long flags;
};

constexpr PropagationWord kPropagation[] = {
    {"private", MS_PRIVATE}, {"rprivate", MS_PRIVATE | MS_REC},
    {"slave", MS_SLAVE},     {"rslave", MS_SLAVE | MS_REC},
    {"shared", MS_SHARED},   {"rshared", MS_SHARED | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

} // namespace

Result<MountOptions> parseMountOptions(const std::vector<std::string>& options) {
    MountOptions out;
    for (const auto& opt : options) {
        if (opt.empty()) return fail(Errc::InvalidArgument, "empty mount option");
        if (opt.find(',') != std::string::npos)
            return fail(Errc::InvalidArgument, fmt::format("mount option `{}` holds a comma", opt));
        bool known = false;
        for (const auto& f : kFlags) {
            if (opt != f.word) continue;
            if (f.clear) out.flags &= ~f.flag;
            else out.flags |= f.flag;
            known = true;
        }
        for (const auto& p : kPropagation) {
            if (opt != p.word) continue;
            out.propagation = p.flags;
            known = true;
        }
        if (opt == "bind") {
            out.recursiveBind = false;
            known = true;
        } else if (opt == "rbind") {
            out.recursiveBind = true;
            known = true;
        }
        if (known) continue;
        if (!out.data.empty()) out.data += ',';
        out.data += opt;
    }
    return out;
}

} // namespace berth::runtime
