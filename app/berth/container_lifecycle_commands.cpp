// start, stop, restart, kill, pause, unpause, rm, wait, exec (and attach, registered here).
#include "container_cli.h"
#include "exec_cli.h"

#include "attach_session.h"

#include "berth/signals.h"

#include <fmt/format.h>

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <memory>
#include <optional>

namespace berth::cli {

void addExecFlags(CLI::App* sub, ExecFlags& f, bool composeStyle) {
    if (composeStyle) {
        f.interactive = true;
        sub->add_flag("-T,--no-TTY", f.noTty, "Disable pseudo-TTY allocation (default: one when stdin is a terminal)");
    } else {
        sub->add_flag("-i,--interactive", f.interactive, "Keep STDIN open");
        sub->add_flag("-t,--tty", f.tty, "Allocate a pseudo-TTY");
    }
    sub->add_option("--detach-keys", f.detachKeys, "Override the key sequence for detaching a container");
    sub->add_flag("-d,--detach", f.detach, "Detached mode: run command in the background");
    sub->add_flag("--privileged", f.privileged, "Give extended privileges to the command");
    sub->add_option("-u,--user", f.user, "Username or UID (format: <name|uid>[:<group|gid>])");
    sub->add_option("-w,--workdir", f.workdir, "Working directory inside the container");
    sub->add_option("-e,--env", f.env, "Set environment variables")->allow_extra_args(false);
}

int execIn(CliContext& ctx, const std::string& ref, const std::vector<std::string>& cmd, const ExecFlags& f) {
    auto& containers = ctx.engine(/*aboutToStart=*/true).containers();
    ExecRequest o;
    o.cmd = cmd;
    o.env = f.env;
    o.user = f.user;
    o.workingDir = f.workdir;
    o.tty = f.tty;
    o.interactive = f.interactive;
    o.detach = f.detach;
    o.privileged = f.privileged;
    if (f.tty && f.interactive && !f.detach) o.detachKeys = detachKeyBytes(f.detachKeys);
    else (void)detachKeyBytes(f.detachKeys);  // a bad spec is an error either way
    AttachIo io{f.interactive ? 0 : -1, 1, 2};
    if (f.detach) io = {};
    // Without a tty, what we receive goes on to the process (docker's sig-proxy).
    std::optional<AttachSession> proxy;
    if (!f.tty && !f.detach) {
        proxy.emplace(AttachSettings{f.interactive, false, true, {}});
        io = proxy->io();
    }
    termios saved{};
    bool raw = f.tty && f.interactive && ::isatty(0) && ::tcgetattr(0, &saved) == 0;
    if (raw) {
        termios t = saved;
        ::cfmakeraw(&t);
        t.c_oflag |= OPOST;
        ::tcsetattr(0, TCSANOW, &t);
    }
    std::fflush(stdout);
    auto code = containers.exec(ref, o, io);
    if (raw) ::tcsetattr(0, TCSANOW, &saved);
    proxy.reset();
    if (!code) {
        int rc = code.error().code() == Errc::CommandNotFound ? 127
               : code.error().code() == Errc::NotExecutable   ? 126
                                                              : 1;
        throw CliError{code.error().message(), rc};
    }
    return *code == kDetached ? 0 : *code;  // detached: it runs on
}

namespace {

void addStartVerb(CLI::App& parent, CliContext& ctx) {
    auto attach = std::make_shared<bool>(false);
    auto interactive = std::make_shared<bool>(false);
    auto holder = std::make_shared<std::vector<std::string>>();
    auto detachKeys = std::make_shared<std::string>();
    auto* sub = addVerb(parent, "start", "Start one or more stopped containers", ctx, [&ctx, attach, interactive, holder, detachKeys] {
        auto& c = ctx.engine(/*aboutToStart=*/true).containers();
        if (*attach || *interactive) {
            if (holder->size() != 1) throw CliError{"you cannot start and attach multiple containers at once", 1};
            std::string keys = detachKeyBytes(*detachKeys);
            // Docker's start -a always proxies signals; -t comes from the container.
            auto details = ctx.check(c.inspect((*holder)[0]));
            AttachSession session({*interactive, details.request.tty, true, keys});
            auto code = c.startAttached((*holder)[0], session.io());
            if (!code) throw CliError{code.error().message(), 1};
            ctx.exitCode = *code == kDetached ? 0 : *code;
            return;
        }
        forEachContainer(ctx, *holder, [&](const std::string& r) { return c.start(r); });
    });
    sub->add_flag("-a,--attach", *attach, "Attach STDOUT/STDERR and forward signals");
    sub->add_flag("-i,--interactive", *interactive, "Attach container's STDIN");
    sub->add_option("--detach-keys", *detachKeys, "Override the key sequence for detaching a container");
    sub->add_option("containers", *holder, "Containers")->required();
}

void addStopVerb(CLI::App& parent, CliContext& ctx) {
    auto timeout = std::make_shared<int>(-1);
    auto holder = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "stop", "Stop one or more running containers", ctx, [&ctx, timeout, holder] {
        auto& c = ctx.engine().containers();
        forEachContainer(ctx, *holder, [&](const std::string& r) { return c.stop(r, *timeout); });
    });
    sub->add_option("-t,--time,--timeout", *timeout, "Seconds to wait before killing the container (default: its --stop-timeout, else 10)");
    sub->add_option("containers", *holder, "Containers")->required();
}

void addRestartVerb(CLI::App& parent, CliContext& ctx) {
    auto timeout = std::make_shared<int>(-1);
    auto holder = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "restart", "Restart one or more containers", ctx, [&ctx, timeout, holder] {
        auto& c = ctx.engine(/*aboutToStart=*/true).containers();
        forEachContainer(ctx, *holder, [&](const std::string& r) { return c.restart(r, *timeout); });
    });
    sub->add_option("-t,--time,--timeout", *timeout, "Seconds to wait before killing the container (default: its --stop-timeout, else 10)");
    sub->add_option("containers", *holder, "Containers")->required();
}

void addKillVerb(CLI::App& parent, CliContext& ctx) {
    auto signal = std::make_shared<std::string>("KILL");
    auto holder = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "kill", "Kill one or more running containers", ctx, [&ctx, signal, holder] {
        auto sig = parseSignal(*signal);
        if (!sig) throw CliError{sig.error().message(), 1};
        auto& c = ctx.engine().containers();
        forEachContainer(ctx, *holder, [&](const std::string& r) { return c.kill(r, *sig); });
    });
    sub->add_option("-s,--signal", *signal, "Signal to send to the container");
    sub->add_option("containers", *holder, "Containers")->required();
}

void addPauseVerb(CLI::App& parent, CliContext& ctx) {
    auto h = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "pause", "Pause all processes within one or more containers", ctx, [&ctx, h] {
        forEachContainer(ctx, *h, [&](const std::string& r) { return ctx.engine().containers().pause(r); });
    });
    sub->add_option("containers", *h, "Containers")->required();
}

void addUnpauseVerb(CLI::App& parent, CliContext& ctx) {
    auto h = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "unpause", "Unpause all processes within one or more containers", ctx, [&ctx, h] {
        forEachContainer(ctx, *h, [&](const std::string& r) { return ctx.engine().containers().unpause(r); });
    });
    sub->add_option("containers", *h, "Containers")->required();
}

void addRmVerb(CLI::App& parent, CliContext& ctx) {
    auto force = std::make_shared<bool>(false);
    auto volumes = std::make_shared<bool>(false);
    auto h = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "rm", "Remove one or more containers", ctx, [&ctx, force, volumes, h] {
        forEachContainer(ctx, *h, [&](const std::string& r) { return ctx.engine().containers().remove(r, *force, *volumes); });
    });
    sub->add_flag("-f,--force", *force, "Force the removal of a running container (uses SIGKILL)");
    sub->add_flag("-v,--volumes", *volumes, "Remove anonymous volumes associated with the container");
    sub->add_option("containers", *h, "Containers")->required();
}

void addWaitVerb(CLI::App& parent, CliContext& ctx) {
    auto h = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "wait", "Block until one or more containers stop, then print their exit codes", ctx, [&ctx, h] {
        bool failed = false;
        for (auto& r : *h) {
            auto code = ctx.engine().containers().wait(r);
            if (!code) {
                fmt::print(stderr, "Error response from daemon: {}\n", code.error().message());
                failed = true;
            } else {
                fmt::print("{}\n", *code);
                std::fflush(stdout);
            }
        }
        if (failed) ctx.exitCode = 1;
    });
    sub->add_option("containers", *h, "Containers")->required();
}

void addExecVerb(CLI::App& parent, CliContext& ctx) {
    auto f = std::make_shared<ExecFlags>();
    auto* sub = addVerb(parent, "exec", "Execute a command in a running container", ctx, [&ctx, f, &parent] {
        auto rest = parent.get_subcommand("exec")->remaining();
        if (rest.size() < 2) throw CliError{"\"exec\" requires at least 2 arguments: CONTAINER COMMAND [ARG...]", 1};
        ctx.exitCode = execIn(ctx, rest[0], {rest.begin() + 1, rest.end()}, *f);
    });
    addExecFlags(sub, *f);
    sub->prefix_command();
    sub->fallthrough(false);  // IMAGE/CONTAINER and what follows are ours, not the parent's
}

} // namespace

void addLifecycleVerbs(CLI::App& parent, CliContext& ctx) {
    addStartVerb(parent, ctx);
    addStopVerb(parent, ctx);
    addRestartVerb(parent, ctx);
    addKillVerb(parent, ctx);
    addPauseVerb(parent, ctx);
    addUnpauseVerb(parent, ctx);
    addRmVerb(parent, ctx);
    addWaitVerb(parent, ctx);
    addExecVerb(parent, ctx);
    addAttachVerb(parent, ctx);  // attach_command.cpp
}

} // namespace berth::cli
