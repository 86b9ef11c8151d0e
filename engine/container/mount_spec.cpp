#include "container/mount_spec.h"

#include "container/container_options.h"

#include <cstdlib>
#include <filesystem>
#include <set>

namespace berth {

namespace {

bool validVolumeName(std::string_view name) {
    if (name.size() < 2) return false;
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
    if (!alnum(name[0])) return false;
    for (char c : name.substr(1))
        if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
    return true;
}

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (true) {
        size_t next = text.find(sep, pos);
        out.emplace_back(text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
        if (next == std::string_view::npos) break;
        pos = next + 1;
    }
    return out;
}

// "/a//b/../c/" -> "/a/c": what the runtime resolves (safely) inside the root anyway;
// normalised so duplicates are found and inspect shows a clean path.
std::string normalise(const std::string& path) {
    auto p = std::filesystem::path(path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

VoidResult checkTarget(const std::string& target, std::string_view spec) {
    if (target.empty())
        return fail(Errc::InvalidArgument, "invalid mount config: a target (destination) is required: `" + std::string(spec) + "`");
    if (target[0] != '/')
        return fail(Errc::InvalidArgument, "invalid mount config: mount path must be absolute: `" + target + "`");
    if (normalise(target) == "/")
        return fail(Errc::InvalidArgument, "invalid specification: destination can't be '/' in `" + std::string(spec) + "`");
    return {};
}

bool isModeList(const std::string& text) {
    for (auto& m : split(text, ','))
        if (m != "ro" && m != "rw" && m != "nocopy" && m != "z" && m != "Z" && m != "rprivate" && m != "private")
            return false;
    return true;
}

Result<bool> parseBool(const std::string& key, const std::string& value) {
    if (value.empty() || value == "true" || value == "1") return true;
    if (value == "false" || value == "0") return false;
    return fail(Errc::InvalidArgument, "invalid value for " + key + ": " + value + " (true or false)");
}

} // namespace

namespace container {

const char* mountTypeName(MountRequest::Type type) {
    switch (type) {
    case MountRequest::Type::Bind: return "bind";
    case MountRequest::Type::Volume: return "volume";
    case MountRequest::Type::Tmpfs: return "tmpfs";
    }
    return "volume";
}

} // namespace container

Result<MountRequest> parseVolumeSpec(std::string_view text) {
    auto bad = [&](const std::string& why) {
        return fail(Errc::InvalidArgument, "invalid volume specification: '" + std::string(text) + "'" +
                                               (why.empty() ? "" : ": " + why));
    };
    if (text.empty()) return bad("empty");
    auto parts = split(text, ':');
    std::string source, target, modes;
    if (parts.size() == 1) {
        target = parts[0];
    } else if (parts.size() == 2) {
        // "/ctr:ro" is an anonymous volume with a mode; "src:/ctr" a source and a target.
        if (!parts[0].empty() && parts[0][0] == '/' && (parts[1].empty() || parts[1][0] != '/') && isModeList(parts[1])) {
            target = parts[0];
            modes = parts[1];
        } else {
            source = parts[0];
            target = parts[1];
        }
    } else if (parts.size() == 3) {
        source = parts[0];
        target = parts[1];
        modes = parts[2];
    } else {
        return bad("too many colons");
    }
    if (parts.size() >= 2 && source.empty() && modes.empty() && target.empty()) return bad("");
    if (parts.size() >= 2 && parts[0].empty()) return bad("empty source");
    BERTH_TRYV(checkTarget(target, text));

    MountRequest m;
    m.target = normalise(target);
    if (source.empty()) {
        m.type = MountRequest::Type::Volume;
        m.anonymous = true;
    } else if (source[0] == '/') {
        m.type = MountRequest::Type::Bind;
        m.source = normalise(source);
    } else if (validVolumeName(source)) {
        m.type = MountRequest::Type::Volume;
        m.source = source;
    } else {
        return fail(Errc::InvalidArgument,
                    "\"" + source + "\" includes invalid characters for a local volume name, only "
                    "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }
    if (!modes.empty()) {
        bool sawRo = false, sawRw = false;
        for (auto& mode : split(modes, ',')) {
            if (mode == "ro") sawRo = true;
            else if (mode == "rw") sawRw = true;
            else if (mode == "nocopy") {
                if (m.type != MountRequest::Type::Volume) return bad("nocopy is only for volumes");
                m.noCopy = true;
            } else if (mode == "z" || mode == "Z" || mode == "rprivate" || mode == "private") {
                // SELinux relabelling (no SELinux here) and the default propagation: nothing to do.
            } else {
                return bad("unknown mode `" + mode + "` (ro, rw, nocopy, z, Z)");
            }
        }
        if (sawRo && sawRw) return bad("ro and rw both given");
        m.readOnly = sawRo;
    }
    return m;
}

Result<MountRequest> parseMountSpec(std::string_view text) {
    auto bad = [&](const std::string& why) {
        return fail(Errc::InvalidArgument, "invalid argument \"" + std::string(text) + "\" for \"--mount\" flag: " + why);
    };
    if (text.empty()) return bad("empty");
    MountRequest m;
    bool typeSet = false, readOnlySet = false;
    std::string type = "volume", propagation;
    std::string tmpfsSize, tmpfsMode;
    for (auto& field : split(text, ',')) {
        if (field.empty()) return bad("empty field");
        auto eq = field.find('=');
        std::string key = field.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : field.substr(eq + 1);
        bool hasValue = eq != std::string::npos;
        if (key == "type") {
            type = value;
            typeSet = true;
        } else if (key == "source" || key == "src") {
            m.source = value;
        } else if (key == "target" || key == "destination" || key == "dst") {
            m.target = value;
        } else if (key == "readonly" || key == "ro") {
            m.readOnly = BERTH_TRY(parseBool(key, value));
            readOnlySet = true;
        } else if (key == "volume-nocopy") {
            m.noCopy = BERTH_TRY(parseBool(key, value));
        } else if (key == "tmpfs-size") {
            tmpfsSize = value;
        } else if (key == "tmpfs-mode") {
            tmpfsMode = value;
        } else if (key == "bind-propagation") {
            propagation = value;
        } else if (key == "consistency") {
            // macOS only in docker; accepted and ignored there on Linux as well.
        } else if (key == "volume-driver") {
            if (value != "local") return bad("volume-driver `" + value + "` is not supported (only local)");
        } else {
            return bad("unexpected key '" + key + "'" + (hasValue ? " in '" + field + "'" : ""));
        }
    }
    (void)readOnlySet;
    (void)typeSet;
    if (type == "bind") m.type = MountRequest::Type::Bind;
    else if (type == "volume") m.type = MountRequest::Type::Volume;
    else if (type == "tmpfs") m.type = MountRequest::Type::Tmpfs;
    else return bad("mount type `" + type + "` is not supported (bind, volume or tmpfs)");
    BERTH_TRYV(checkTarget(m.target, text));
    m.target = normalise(m.target);
    if (!propagation.empty() && propagation != "rprivate" && propagation != "private")
        return bad("bind-propagation `" + propagation + "` is not supported (rprivate)");
    if (!propagation.empty() && m.type != MountRequest::Type::Bind) return bad("bind-propagation is only for binds");
    if ((!tmpfsSize.empty() || !tmpfsMode.empty()) && m.type != MountRequest::Type::Tmpfs)
        return bad("tmpfs-size and tmpfs-mode are only for type=tmpfs");
    if (m.noCopy && m.type != MountRequest::Type::Volume) return bad("volume-nocopy is only for type=volume");
    switch (m.type) {
    case MountRequest::Type::Bind:
        if (m.source.empty()) return bad("type=bind needs a source");
        if (m.source[0] != '/') return bad("the bind source must be an absolute path: `" + m.source + "`");
        m.source = normalise(m.source);
        break;
    case MountRequest::Type::Volume:
        if (m.source.empty()) m.anonymous = true;
        else if (!validVolumeName(m.source))
            return bad("\"" + m.source + "\" includes invalid characters for a local volume name, only "
                       "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
        break;
    case MountRequest::Type::Tmpfs:
        if (!m.source.empty()) return bad("type=tmpfs takes no source");
        if (!tmpfsSize.empty()) {
            auto size = parseMemory(tmpfsSize);
            if (!size || *size <= 0) return bad("invalid tmpfs-size `" + tmpfsSize + "`");
            m.tmpfsSize = *size;
        }
        if (!tmpfsMode.empty()) {
            char* end = nullptr;
            unsigned long mode = std::strtoul(tmpfsMode.c_str(), &end, 8);
            if (!end || *end || mode > 07777) return bad("invalid tmpfs-mode `" + tmpfsMode + "` (octal, e.g. 1770)");
            m.tmpfsMode = uint32_t(mode);
        }
        break;
    }
    return m;
}

VoidResult addVolumePaths(RunRequest& request, const std::vector<std::string>& paths, std::string_view what) {
    for (auto& path : paths) {
        // An image's VOLUME may be relative ("data"): docker resolves it from "/".
        std::string target = normalise(path.starts_with('/') ? path : "/" + path);
        BERTH_TRYV_CTX(checkTarget(target, path), std::string(what) + " `" + path + "`");
        bool covered = false;
        for (auto& m : request.mounts) covered = covered || m.target == target;
        for (auto& t : request.tmpfs) covered = covered || normalise(t.substr(0, t.find(':'))) == target;
        if (covered) continue;
        MountRequest m;
        m.type = MountRequest::Type::Volume;
        m.target = std::move(target);
        request.mounts.push_back(std::move(m));
    }
    return {};
}

namespace container {

VoidResult validateMounts(const std::vector<MountRequest>& mounts, const std::vector<std::string>& tmpfs) {
    std::set<std::string> seen;
    auto add = [&](const std::string& target) -> VoidResult {
        if (!seen.insert(target).second) return fail(Errc::InvalidArgument, "Duplicate mount point: " + target);
        return {};
    };
    for (auto& m : mounts) {
        BERTH_TRYV(checkTarget(m.target, m.target));
        if (m.type == MountRequest::Type::Bind && (m.source.empty() || m.source[0] != '/'))
            return fail(Errc::InvalidArgument, "the bind source must be an absolute path: `" + m.source + "`");
        if (m.type == MountRequest::Type::Volume && !m.source.empty() && !validVolumeName(m.source))
            return fail(Errc::InvalidArgument, "invalid volume name `" + m.source + "`");
        BERTH_TRYV(add(m.target));
    }
    for (auto& t : tmpfs) BERTH_TRYV(add(normalise(t.substr(0, t.find(':')))));
    return {};
}

} // namespace container
} // namespace berth
