#include "runtime/user_lookup.h"

#include "runtime/safe_path.h"

#include <fcntl.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>

namespace berth::runtime {

namespace {

struct PasswdEntry {
    std::string name;
    uint32_t uid = 0, gid = 0;
    std::string home;
};
struct GroupEntry {
    std::string name;
    uint32_t gid = 0;
    std::vector<std::string> members;
};

std::vector<std::string> splitFields(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

// A decimal id in [0, 2^32-2] (-1 is "no id" to the kernel).
std::optional<uint32_t> parseId(const std::string& s) {
    if (s.empty() || s.size() > 10) return std::nullopt;
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v > 0xFFFFFFFEull) return std::nullopt;
    return uint32_t(v);
}

bool isNumeric(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Lines that don't parse are skipped, as libc does: an image's odd passwd must not stop a
// container whose user is elsewhere in the file.
std::vector<PasswdEntry> parsePasswd(const std::string& text) {
    std::vector<PasswdEntry> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto f = splitFields(line, ':');
        if (f.size() < 4) continue;
        auto uid = parseId(f[2]), gid = parseId(f[3]);
        if (!uid || !gid) continue;
        out.push_back({f[0], *uid, *gid, f.size() > 5 ? f[5] : ""});
    }
    return out;
}

std::vector<GroupEntry> parseGroup(const std::string& text) {
    std::vector<GroupEntry> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto f = splitFields(line, ':');
        if (f.size() < 3) continue;
        auto gid = parseId(f[2]);
        if (!gid) continue;
        GroupEntry g{f[0], *gid, {}};
        if (f.size() > 3 && !f[3].empty())
            for (auto& m : splitFields(f[3], ',')) if (!m.empty()) g.members.push_back(m);
        out.push_back(std::move(g));
    }
    return out;
}

} // namespace

Result<ResolvedUser> lookupUserIn(const std::string& passwdText, const std::string& groupText,
                                  const std::string& spec) {
    ResolvedUser user;
    if (spec.empty()) {
        user.name = "root";
        user.home = "/root";
        return user;
    }
    auto colon = spec.find(':');
    std::string userPart = spec.substr(0, colon);
    std::string groupPart = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (userPart.empty())
        return fail(Errc::InvalidArgument, fmt::format("invalid user `{}`: empty user name", spec));
    if (colon != std::string::npos && groupPart.empty())
        return fail(Errc::InvalidArgument, fmt::format("invalid user `{}`: empty group name", spec));

    auto passwd = parsePasswd(passwdText);
    auto groups = parseGroup(groupText);

    const PasswdEntry* entry = nullptr;
    if (isNumeric(userPart)) {
        auto uid = parseId(userPart);
        if (!uid) return fail(Errc::InvalidArgument, fmt::format("invalid user id `{}`", userPart));
        for (auto& p : passwd)
            if (p.uid == *uid) { entry = &p; break; }
        user.uid = *uid;
        user.gid = entry ? entry->gid : 0;
    } else {
        for (auto& p : passwd)
            if (p.name == userPart) { entry = &p; break; }
        if (!entry)
            return fail(Errc::NotFound,
                        fmt::format("unable to find user {}: no matching entries in passwd file", userPart));
        user.uid = entry->uid;
        user.gid = entry->gid;
    }
    if (entry) {
        user.name = entry->name;
        // HOME must be absolute: an image whose passwd gives "" or a relative home gets "/",
        // as an unknown uid does.
        user.home = entry->home.starts_with('/') ? entry->home : "/";
    }

    if (!groupPart.empty()) {
        if (isNumeric(groupPart)) {
            auto gid = parseId(groupPart);
            if (!gid) return fail(Errc::InvalidArgument, fmt::format("invalid group id `{}`", groupPart));
            user.gid = *gid;
        } else {
            auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.name == groupPart; });
            if (it == groups.end())
                return fail(Errc::NotFound,
                            fmt::format("unable to find group {}: no matching entries in group file", groupPart));
            user.gid = it->gid;
        }
    }

    if (!user.name.empty()) {
        for (auto& g : groups) {
            if (g.gid == user.gid) continue;
            if (std::find(g.members.begin(), g.members.end(), user.name) == g.members.end()) continue;
            if (std::find(user.additionalGids.begin(), user.additionalGids.end(), g.gid) == user.additionalGids.end())
                user.additionalGids.push_back(g.gid);
        }
    }
    return user;
}

Result<ResolvedUser> lookupUser(const std::filesystem::path& rootfs, const std::string& spec) {
    if (spec.empty()) return lookupUserIn("", "", spec);
    int fd = ::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return failErrno(fmt::format("open rootfs `{}`", rootfs.string()));
    sys::UniqueFd root(fd);
    auto passwd = BERTH_TRY_CTX(readFileInRoot(root.get(), "/etc/passwd"), "--user " + spec);
    auto group = BERTH_TRY_CTX(readFileInRoot(root.get(), "/etc/group"), "--user " + spec);
    return lookupUserIn(passwd, group, spec);
}

} // namespace berth::runtime
