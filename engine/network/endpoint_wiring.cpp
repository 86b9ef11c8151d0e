#include "network/endpoint_wiring.h"

#include "network/lease_registry.h"
#include "network/netlink.h"
#include "network/nft_netlink.h"
#include "sys/fs.h"
#include "sys/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
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

std::string hostLinkName(const std::string& containerId) {
    return "vb" + containerId.substr(0, 10) + sys::randomHex(2).substr(0, 3);
}

VoidResult wireContainer(const store::StoreLayout& layout, const std::string& containerId, pid_t pid) {
    NetworkStore store(layout);
    if (!NetworkStore::hasState(layout)) return {};  // no network ever: fast path
    std::vector<std::string> previousLife;
    {
        auto lock = BERTH_TRY(store.lock());
        auto state = BERTH_TRY(store.loadState());
        auto it = state.endpoints.find(containerId);
        if (it == state.endpoints.end()) return {};
        auto& e = it->second;
        for (size_t i = 0; i < e.attachments.size(); ++i) {
            auto& a = e.attachments[i];
            if (a.hostIf.empty()) a.hostIf = hostLinkName(containerId);
            auto made = netlink::createVeth(a.hostIf, a.bridge, pid, a.ifname, a.mac);
            for (int tries = 0; !made && made.error().sysErrno() == EEXIST && tries < 8; ++tries) {
                // The previous life's pair (a restart) while the kernel tears its namespace
                // down: a fresh name now rather than waiting for it.
                if (tries == 0) previousLife.push_back(a.hostIf);
                a.hostIf = hostLinkName(containerId);
                made = netlink::createVeth(a.hostIf, a.bridge, pid, a.ifname, a.mac);
            }
            BERTH_TRYV_CTX(made, "network " + a.networkName);
            // Published ports are forwarded to the first leg's address. Reaching them from the
            // container itself (through a host address) sends the packet back out of the port it
            // came in by when the bridge passes its traffic through netfilter (br_netfilter).
            if (i == 0 && !e.ports.empty()) BERTH_TRYV_CTX(netlink::setHairpin(a.hostIf), "network " + a.networkName);
            BERTH_TRYV_CTX(netlink::configureInside(pid, a.ifname, a.ip, a.prefix, a.gateway, i == 0),
                           "network " + a.networkName);
        }
        e.monitorPid = ::getpid();
        BERTH_TRYV(store.saveState(state));
        refreshHosts(state, containerId);
    }
    reapHostLinksInBackground(std::move(previousLife));
    return {};
}

// The endpoint of `containerId` out of `state` (saved), its leases given back, its links
// dealt with, its peers' /etc/hosts rewritten. The networks' lock is held by the caller.
static Result<std::optional<Endpoint>> dropLocked(NetworkStore& store, RuntimeState& state, const std::string& containerId,
                                                  HostLinks links) {
    auto it = state.endpoints.find(containerId);
    if (it == state.endpoints.end()) return std::optional<Endpoint>();
    Endpoint gone = std::move(it->second);
    state.endpoints.erase(it);
    BERTH_TRYV(store.saveState(state));
    LeaseRegistry leases;
    for (auto& a : gone.attachments) leases.release(a.bridge, a.ip, containerId);
    // A namespace that is still alive keeps its pair: delete it. One that is dying takes its
    // pair along by itself (the host end goes a moment later, see reapHostLinksInBackground).
    if (links == HostLinks::Delete)
        for (auto& a : gone.attachments)
            if (!a.hostIf.empty()) (void)netlink::deleteLink(a.hostIf);
    // Peers forget it (its own file goes with the container or is rewritten at its start).
    std::set<std::string> nets;
    for (auto& a : gone.attachments)
        if (a.resolvesPeers) nets.insert(a.networkId);
    if (!nets.empty())
        for (auto& [id, e] : state.endpoints) {
            bool shares = false;
            for (auto& a : e.attachments) shares = shares || nets.contains(a.networkId);
            if (shares) rewriteHosts(state, e);
        }
    return std::optional<Endpoint>(std::move(gone));
}

Result<std::optional<Endpoint>> dropEndpoint(const store::StoreLayout& layout, const std::string& containerId,
                                             HostLinks links) {
    NetworkStore store(layout);
    if (!NetworkStore::hasState(layout)) return std::optional<Endpoint>();
    auto lock = BERTH_TRY(store.lock());
    auto state = BERTH_TRY(store.loadState());
    return dropLocked(store, state, containerId, links);
}

static std::vector<std::string> stillPresent(const std::vector<std::string>& links) {
    std::vector<std::string> out;
    for (auto& l : links)
        if (!l.empty() && netlink::linkExists(l)) out.push_back(l);
    return out;
}

std::vector<std::string> releaseFromMonitor(const store::StoreLayout& layout, const std::string& containerId) {
    NetworkStore store(layout);
    if (!NetworkStore::hasState(layout)) return {};
    std::vector<std::string> hostLinks;
    {
        auto lock = store.lock();
        if (!lock) return {};
        auto state = store.loadState();
        if (!state) return {};
        auto it = state->endpoints.find(containerId);
        if (it == state->endpoints.end()) return {};
        for (auto& a : it->second.attachments) hostLinks.push_back(a.hostIf);
        // Published ports' map elements go first (over nfnetlink: no libnftables here);
        // should that fail, `berth network release` below does it all.
        bool portsGone = it->second.ports.empty();
        if (!portsGone)
            if (auto cfg = store.config())
                portsGone = bool(nftnl::removePorts(cfg->nftTable, it->second.ports));
        if (portsGone) {
            (void)dropLocked(store, *state, containerId, HostLinks::LeaveToKernel);
            return stillPresent(hostLinks);
        }
    }
    std::string program = sys::helperProgram("berth", layout.settings.helpers.berth);
    std::vector<std::string> args{program, "--root", layout.root.string(), "--runroot", layout.runRoot.string(),
                                  "network", "release", "--namespace-gone", containerId};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t child = ::fork();
    if (child == 0) {
        ::execv(argv[0], argv.data());
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    if (child < 0) return {};  // reconcile cleans up at the engine's next start
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    return stillPresent(hostLinks);
}

void reapHostLinks(std::vector<std::string> links) {
    // Usually gone within milliseconds; polled with a growing interval, about 5 s in all.
    int64_t waitedMs = 0;
    for (int64_t stepMs = 5; waitedMs < 5000 && !links.empty(); stepMs = std::min<int64_t>(stepMs * 2, 500)) {
        timespec ts{0, long(stepMs) * 1000000L};
        ::nanosleep(&ts, nullptr);
        waitedMs += stepMs;
        links = stillPresent(links);
    }
    for (auto& l : links) (void)netlink::deleteLink(l);
}

void reapHostLinksInBackground(std::vector<std::string> links) {
    if (links.empty()) return;
    pid_t child = ::fork();
    if (child != 0) return;  // the monitor reaps it (it is a subreaper) or init does
    // Nothing of the monitor's is kept open: not its locks, sockets or the client's pipe.
    ::close_range(0, ~0U, 0);
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // A program of its own (berth-monitor --reap-links): a fork would keep the monitor's
    // command line (store and container id), and would be taken for the monitor itself.
    std::vector<std::string> args{"berth-monitor", "--reap-links"};
    args.insert(args.end(), links.begin(), links.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
    reapHostLinks(std::move(links));  // no exec: in this process then
    ::_exit(0);
}

} // namespace berth::network
