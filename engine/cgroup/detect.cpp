// Run-time choice between the v1 and v2 managers.
#include "cgroup/cgroup_manager.h"

#include "cgroup/control_files.h"
#include "cgroup/v1_manager.h"
#include "cgroup/v2_manager.h"
#include "cgroup/rootless_cgroup.h"

#include <linux/magic.h>
#include <sys/statfs.h>

#include <mutex>
#include <optional>

namespace berth::cgroup {

namespace fs = std::filesystem;

Result<CgroupVersion> parseVersion(std::string_view text) {
    if (text == "1" || text == "v1") return CgroupVersion::V1;
    if (text == "2" || text == "v2") return CgroupVersion::V2;
    return fail(Errc::InvalidArgument,
                "bad cgroup version \"" + std::string(text) + "\" (expected 1 or 2)");
}

static Result<long> statfsType(const fs::path& p) {
    struct statfs sfs;
    if (::statfs(p.c_str(), &sfs) != 0) return failErrno("statfs `" + p.string() + "`");
    return long(sfs.f_type);
}

// The controllers a cgroup2 mount offers (its cgroup.controllers), empty when none.
static bool hasV2Controllers(const fs::path& mount) {
    auto text = detail::readControl(mount / "cgroup.controllers");
    return text && *text && text->value().find_first_not_of(" \n") != std::string::npos;
}

Result<CgroupLayout> detectLayout(const fs::path& root, const DetectOptions& opts) {
    std::optional<CgroupVersion> forced = opts.forced;
    if (!forced && !opts.versionSetting.empty())
        forced = BERTH_TRY_CTX(parseVersion(opts.versionSetting), "BERTH_CGROUP_VERSION");
    if (forced) return CgroupLayout{*forced, root};

    auto fsType = opts.fsType ? opts.fsType : statfsType;
    long rootType = BERTH_TRY_CTX(fsType(root), "detect cgroup version");
    if (rootType == long(CGROUP2_SUPER_MAGIC)) return CgroupLayout{CgroupVersion::V2, root};

    // A tmpfs of v1 mounts. A hybrid host also has a cgroup2 mount at root/unified;
    // with controllers bound to v1 it usually offers none (or only hugetlb), so the v1
    // side is the one that can limit anything.
    int v1Controllers = 0;
    for (const char* c : V1Manager::kControllers) {
        auto t = fsType(root / c);
        if (t && *t == long(CGROUP_SUPER_MAGIC)) ++v1Controllers;
    }
    if (v1Controllers > 0) return CgroupLayout{CgroupVersion::V1, root};
    fs::path unified = root / "unified";
    auto ut = fsType(unified);
    if (ut && *ut == long(CGROUP2_SUPER_MAGIC) && hasV2Controllers(unified))
        return CgroupLayout{CgroupVersion::V2, unified};
    return fail(Errc::Unsupported,
                "detect cgroup version: " + root.string() +
                    " is neither a cgroup2 mount nor a directory of cgroup v1 controller mounts "
                    "(set BERTH_CGROUP_VERSION=1|2 to choose)");
}

Result<CgroupVersion> detectVersion(const fs::path& root) {
    auto layout = BERTH_TRY(detectLayout(root));
    return layout.version;
}

Result<std::unique_ptr<CgroupManager>> makeManager(CgroupVersion v, const fs::path& root,
                                                    const std::string& relPath,
                                                    const ManagerOptions& opts) {
    BERTH_TRYV(detail::validateRelPath(relPath));
    std::unique_ptr<CgroupManager> m;
    if (v == CgroupVersion::V2)
        m = std::make_unique<V2Manager>(root, relPath, opts);
    else
        m = std::make_unique<V1Manager>(root, relPath, opts);
    return m;
}

Result<std::unique_ptr<CgroupManager>> openHostManager(const std::string& relPath, const EngineSettings& settings) {
    // Rootless: only a delegated v2 subtree is ours (rootless_cgroup.h).
    if (settings.rootless()) return openRootlessManager(relPath, settings);
    // The host's layout does not change while a process runs, but `stats` of N containers
    // asked for it N times (a statfs per v1 controller each): detect once per process (per
    // version setting: two engines of one process may be opened with different ones).
    static std::mutex mutex;
    static std::optional<std::pair<std::string, CgroupLayout>> cached;
    const std::string& key = settings.cgroup.version;
    CgroupLayout layout;
    {
        std::lock_guard lock(mutex);
        if (cached && cached->first == key) {
            layout = cached->second;
        } else {
            layout = BERTH_TRY(detectLayout("/sys/fs/cgroup", {.versionSetting = key}));
            cached.emplace(key, layout);
        }
    }
    return makeManager(layout.version, layout.root, relPath);
}

} // namespace berth::cgroup
