// runService: the routes over the engine, the server, and the signals that end it.
#include "berth/docker_api_service.h"

#include "routes.h"
#include "server.h"
#include "sessions.h"

#include <csignal>
#include <pthread.h>

namespace berth::dockerapi {

Router makeRouter(Engine& engine, Sessions& sessions) {
    Router router;
    addSystemRoutes(router, engine);
    addContainerRoutes(router, engine, sessions);
    addContainerStreamRoutes(router, engine, sessions);
    addExecRoutes(router, engine, sessions);
    addImageRoutes(router, engine);
    addImageTransferRoutes(router, engine);
    addBuildRoute(router, engine);
    addDiskUsageRoute(router, engine);
    addEventRoutes(router, engine);
    addVolumeRoutes(router, engine);
    addNetworkRoutes(router, engine);
    addStatsRoute(router, engine);
    addArchiveRoutes(router, engine);
    return router;
}

void runService(Engine& engine, const ServiceOptions& options, std::stop_token stop) {
    // A client that goes away mid-write is an EPIPE for the writer, never a signal.
    std::signal(SIGPIPE, SIG_IGN);
    // SIGINT/SIGTERM end the service: blocked in every thread (the ones made below inherit
    // the mask) and taken by one that waits for them.
    sigset_t ends;
    sigemptyset(&ends);
    sigaddset(&ends, SIGINT);
    sigaddset(&ends, SIGTERM);
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &ends, &old);

    Sessions sessions;
    Router router = makeRouter(engine, sessions);
    Limits limits;
    limits.maxUpload = options.maxUpload;
    Server server(router, limits);
    server.setLogRequests(options.logRequests);
    sessions.detached.setActivity([&server] { server.hold(); }, [&server] { server.release(); });
    for (int fd : options.listenFds) server.addListener(fd);

    std::stop_source ended;
    std::stop_callback forward(stop, [&ended] { ended.request_stop(); });
    std::thread signals([&ends, &ended] {
        int sig = 0;
        sigwait(&ends, &sig);
        ended.request_stop();
    });
    server.run(std::chrono::duration_cast<std::chrono::milliseconds>(options.idle), ended.get_token());
    sessions.detached.close();
    if (!ended.stop_requested()) {
        // Idle: wake the signal thread with a signal of its set.
        pthread_kill(signals.native_handle(), SIGTERM);
    }
    signals.join();
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

} // namespace berth::dockerapi
