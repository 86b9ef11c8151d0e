#include "store/layout.h"

#include "sys/fs.h"

#include <unistd.h>

#include <cstdlib>

namespace berth::store {

fs::path defaultRoot() {
    if (const char* r = std::getenv("BERTH_ROOT"); r && *r) return r;
    if (::geteuid() == 0) return "/var/lib/berth";
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return fs::path(x) / "berth";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local/share/berth";
    return "/tmp/berth-" + std::to_string(::geteuid());
}

fs::path defaultRunRoot(const fs::path& root) {
    if (const char* r = std::getenv("BERTH_RUNROOT"); r && *r) return r;
    // A store given explicitly (tests, --root) keeps its run state beside it, so two
    // stores never share containers' runtime files.
    if (const char* r = std::getenv("BERTH_ROOT"); r && *r) return root / "run";
    if (::geteuid() == 0) {
        if (root == "/var/lib/berth") return "/run/berth";
        return root / "run";
    }
    if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x) return fs::path(x) / "berth";
    return root / "run";
}

Result<StoreLayout> openLayout(const fs::path& root, const fs::path& runRoot) {
    if (root.empty()) return fail(Errc::InvalidArgument, "store root is empty");
    StoreLayout l;
    l.root = fs::absolute(root);
    l.runRoot = runRoot.empty() ? defaultRunRoot(l.root) : fs::absolute(runRoot);
    for (const fs::path& d : {l.root, l.blobs(), l.layers(), l.images(), l.containers(),
                              l.volumes(), l.tmp(), l.runRoot, l.runContainers()}) {
        BERTH_TRYV_CTX(sys::makeDirs(d), "open store `" + l.root.string() + "`");
    }
    return l;
}

} // namespace berth::store
