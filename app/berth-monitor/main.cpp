// berth-monitor: one per running container (see DESIGN.md), started detached by
// `berth start`/`run` and the GUI; or, with --exec, the helper that runs one process in a
// running container for `berth exec`. Single-threaded on purpose: the runtime's clone and
// setns work needs it.
#include "monitor.h"

#include "container/monitor_settings.h"
#include "network/endpoint_wiring.h"
#include "store/layout.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    // A container's host veth ends after it ended (network::reapHostLinksInBackground).
    if (argc >= 2 && std::strcmp(argv[1], "--reap-links") == 0) {
        berth::network::reapHostLinks(std::vector<std::string>(argv + 2, argv + argc));
        return 0;
    }
    std::string root, id;
    int syncFd = -1, execFd = -1;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "berth-monitor: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--root") root = next();
        else if (a == "--id") id = next();
        else if (a == "--sync-fd") syncFd = std::atoi(next().c_str());
        else if (a == "--exec-fd") execFd = std::atoi(next().c_str());
        else {
            std::fprintf(stderr, "berth-monitor: unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    if (id.empty() || syncFd < 0) {
        std::fprintf(stderr, "usage: berth-monitor [--root DIR] --id ID --sync-fd N [--exec-fd N]\n"
                             "(started by berth; not meant to be run by hand)\n");
        return 2;
    }
    // The engine that started us sends its settings first: the monitor never resolves its
    // own from the environment, so the two cannot disagree.
    auto settings = berth::container::receiveSettings(syncFd);
    if (!settings) {
        std::fprintf(stderr, "berth-monitor: %s\n", settings.error().message().c_str());
        return 1;
    }
    // --root only names the store in ps; it must be the one the settings say.
    if (!root.empty() && root != settings->store.root.string()) {
        std::fprintf(stderr, "berth-monitor: --root %s is not the engine's store %s\n", root.c_str(),
                     settings->store.root.c_str());
        return 1;
    }
    auto layout = berth::store::openLayout(*settings);
    if (!layout) {
        std::fprintf(stderr, "berth-monitor: %s\n", layout.error().message().c_str());
        return 1;
    }
    if (execFd >= 0) {
        // The exec request (JSON) comes on its own fd, never in argv (see container_exec.cpp).
        std::string json;
        char buf[65536];
        ssize_t n;
        while ((n = ::read(execFd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0) json.append(buf, size_t(n));
        ::close(execFd);
        return berth::monitor::runExec(*layout, id, syncFd, json);
    }
    berth::monitor::Monitor monitor(*layout, id, syncFd);
    return monitor.run();
}
