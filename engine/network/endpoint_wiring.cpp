#include "network/endpoint_wiring.h"

#include "network/netlink.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

namespace berth::network {

namespace fs = std::filesystem;

static constexpr std::string_view kMarker = "# berth: this container and its network peers\n";

std::string hostsSection(const RuntimeState& state, const Endpoint& self) {
    std::string out;
    std::set<std::string> done;
    for (size_t i = 0; i < self.attachments.size(); ++i) {
        auto& a = self.attachments[i];
        std::string line = a.ip.str() + "\t" + self.hostname;
        if (a.resolvesPeers && !self.name.empty() && self.name != self.hostname) line += " " + self.name;
        if (a.resolvesPeers)
            for (auto& al : a.aliases) line += " " + al;
        out += line + "\n";
    }
    for (auto& a : self.attachments) {
        if (!a.resolvesPeers) continue;
        for (auto& [id, peer] : state.endpoints) {
            if (id == self.containerId) continue;
            for (auto& b : peer.attachments) {
                if (b.networkId != a.networkId) continue;
                std::string line = b.ip.str() + "\t" + peer.name + " " + id.substr(0, 12);
                for (auto& al : b.aliases) line += " " + al;
                if (done.insert(line).second) out += line + "\n";
            }
        }
    }
    return out;
}

std::string replaceHostsSection(const std::string& text, const std::string& section, bool dropLoopbackName) {
    std::string base = text.substr(0, std::min(text.size(), text.find(kMarker)));
    if (dropLoopbackName) {
        std::string kept;
        size_t pos = 0;
        while (pos < base.size()) {
            size_t nl = base.find('\n', pos);
            if (nl == std::string::npos) nl = base.size() - 1;
            auto line = base.substr(pos, nl - pos + 1);
            if (line.rfind("127.0.1.1\t", 0) != 0) kept += line;
            pos = nl + 1;
        }
        base = kept;
    }
    if (!base.empty() && base.back() != '\n') base += '\n';
    return base + std::string(kMarker) + section;
}

static void rewriteHosts(const RuntimeState& state, const Endpoint& e) {
    if (e.hostsFile.empty()) return;
    auto text = sys::readFile(e.hostsFile, 1 << 20);
    if (!text) return;
    auto next = replaceHostsSection(*text, hostsSection(state, e), !e.attachments.empty());
    if (next == *text) return;
    // In place, not by rename: the file is bind-mounted into the running container.
    sys::UniqueFd fd(::open(e.hostsFile.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW));
    if (fd) (void)sys::writeAll(fd.borrow(), next);
}

void refreshHosts(const RuntimeState& state, const std::string& containerId) {
    std::set<std::string> nets;
    auto self = state.endpoints.find(containerId);
    if (self != state.endpoints.end()) {
        for (auto& a : self->second.attachments)
            if (a.resolvesPeers) nets.insert(a.networkId);
        rewriteHosts(state, self->second);
    }
    for (auto& [id, e] : state.endpoints) {
        if (id == containerId) continue;
        bool shares = false;
        for (auto& a : e.attachments) shares = shares || (a.resolvesPeers && nets.contains(a.networkId));
        if (shares) rewriteHosts(state, e);
    }
}

VoidResult wireContainer(const store::StoreLayout& layout, const std::string& containerId, pid_t pid) {
    NetworkStore store(layout);
    if (!sys::exists(layout.runRoot / "networks" / "state.json")) return {};  // no network ever: fast path
    auto lock = BERTH_TRY(store.lock());
    auto state = BERTH_TRY(store.loadState());
    auto it = state.endpoints.find(containerId);
    if (it == state.endpoints.end()) return {};
    auto& e = it->second;
    for (size_t i = 0; i < e.attachments.size(); ++i) {
        auto& a = e.attachments[i];
        auto made = netlink::createVeth(a.hostIf, a.bridge, pid, a.ifname, a.mac);
        if (!made && made.error().sysErrno() == EEXIST) {
            // The previous life's pair: its namespace is still being torn down (restart).
            BERTH_TRYV(netlink::deleteLink(a.hostIf));
            made = netlink::createVeth(a.hostIf, a.bridge, pid, a.ifname, a.mac);
        }
        BERTH_TRYV_CTX(made, "network " + a.networkName);
        BERTH_TRYV_CTX(netlink::configureInside(pid, a.ifname, a.ip, a.prefix, a.gateway, i == 0),
                       "network " + a.networkName);
    }
    e.monitorPid = ::getpid();
    BERTH_TRYV(store.saveState(state));
    refreshHosts(state, containerId);
    return {};
}

Result<std::optional<Endpoint>> dropEndpoint(const store::StoreLayout& layout, const std::string& containerId) {
    NetworkStore store(layout);
    if (!sys::exists(layout.runRoot / "networks" / "state.json")) return std::optional<Endpoint>();
    auto lock = BERTH_TRY(store.lock());
    auto state = BERTH_TRY(store.loadState());
    auto it = state.endpoints.find(containerId);
    if (it == state.endpoints.end()) return std::optional<Endpoint>();
    Endpoint gone = std::move(it->second);
    state.endpoints.erase(it);
    BERTH_TRYV(store.saveState(state));
    // Normally the pair went with the container's namespace; a namespace kept alive by
    // something else (a `berth exec`'d process, a bind mount) would keep it: remove it.
    for (auto& a : gone.attachments) (void)netlink::deleteLink(a.hostIf);
    // Peers forget it (its own file goes with the container or is rewritten at its start).
    std::set<std::string> nets;
    for (auto& a : gone.attachments)
        if (a.resolvesPeers) nets.insert(a.networkId);
    for (auto& [id, e] : state.endpoints) {
        bool shares = false;
        for (auto& a : e.attachments) shares = shares || nets.contains(a.networkId);
        if (shares) rewriteHosts(state, e);
    }
    return std::optional<Endpoint>(std::move(gone));
}

static std::string berthProgram() {
    if (const char* p = std::getenv("BERTH_PROGRAM"); p && *p) return p;
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = self.parent_path() / "berth";
        if (::access(beside.c_str(), X_OK) == 0) return beside;
    }
    return "berth";
}

void releaseFromMonitor(const store::StoreLayout& layout, const std::string& containerId) {
    NetworkStore store(layout);
    if (!sys::exists(layout.runRoot / "networks" / "state.json")) return;
    bool hasPorts = false;
    {
        auto lock = store.lock();
        if (!lock) return;
        auto state = store.loadState();
        if (!state) return;
        auto it = state->endpoints.find(containerId);
        if (it == state->endpoints.end()) return;
        hasPorts = !it->second.ports.empty();
    }
    if (!hasPorts) {
        (void)dropEndpoint(layout, containerId);
        return;
    }
    std::string program = berthProgram();
    std::vector<std::string> args{program, "--root", layout.root.string(), "--runroot", layout.runRoot.string(),
                                  "network", "release", containerId};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t child = ::fork();
    if (child == 0) {
        ::execv(argv[0], argv.data());
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    if (child < 0) return;  // reconcile cleans up at the engine's next start
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {}
}

} // namespace berth::network
