// RUN: the command runs in a real container (created from the image of the stage so far,
// started attached through berth-monitor), its output streamed to the progress callback;
// the container's upper directory becomes the step's layer.
#include "build/build_run.h"
#include "sys/json_read.h"

#include "image/layer_store.h"
#include "runtime/layer_path.h"
#include "sys/fs.h"
#include "sys/scope_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <functional>
#include <thread>

namespace berth::build {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The runtime creates mount points (/etc/hosts, /proc...) in the root when the image lacks
// them; they are not the command's work and stay out of the layer. The upper directory is
// what the RUN left, and its `etc` may be a symlink to anywhere (a host directory too):
// everything here happens in directories opened inside it, without following a link.
void dropMountPoints(const fs::path& upper, const std::vector<fs::path>& lowersBottomFirst) {
    sys::UniqueFd top(::open(upper.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!top) return;
    std::vector<fs::path> lowers(lowersBottomFirst.rbegin(), lowersBottomFirst.rend());
    sys::UniqueFd etc(::openat(top.get(), "etc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    for (const char* f : {"hosts", "hostname", "resolv.conf"}) {
        struct stat st;
        if (!etc || ::fstatat(etc.get(), f, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISREG(st.st_mode) && st.st_size == 0 && !runtime::openInLayers(lowers, std::string("etc/") + f))
            ::unlinkat(etc.get(), f, 0);
    }
    etc.reset();
    // Only an empty directory goes (rmdir refuses the rest, and a symlink). An empty one the
    // lower layers also have is only overlay's copy-up of a parent; one they lack was made
    // for a mount. An opaque one stays: the RUN replaced the lower layers' entry by it
    // (`rm /etc && mkdir /etc`), and without it their content would show again.
    for (const char* d : {"proc", "sys", "dev", "etc"}) {
        sys::UniqueFd dir(::openat(top.get(), d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!dir || runtime::isOpaqueDir(dir.get())) continue;
        ::unlinkat(top.get(), d, AT_REMOVEDIR);
    }
}

// The RUN's argv: its JSON form as written, else the stage's shell (SHELL, /bin/sh -c) with
// the script, heredocs included (a lone `<<EOF` is replaced by its body).
std::vector<std::string> runArgv(const Instruction& ins, const json& cfg) {
    if (ins.json) return ins.args;
    std::vector<std::string> argv{"/bin/sh", "-c"};
    if (cfg.contains("Shell") && cfg["Shell"].is_array() && !cfg["Shell"].empty())
        argv = cfg["Shell"].get<std::vector<std::string>>();
    std::string script = ins.args[0];
    if (!ins.heredocs.empty()) {
        std::string trimmed = script;
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
        bool onlyHeredoc = ins.heredocs.size() == 1 && trimmed.starts_with("<<") &&
                           trimmed.find_first_of(" \t") == std::string::npos;
        if (onlyHeredoc) {
            // RUN <<EOF … EOF: the body is the script.
            script = ins.heredocs[0].content;
        } else {
            // The shell reads the heredocs itself: hand it the whole text.
            for (auto& h : ins.heredocs) script += "\n" + h.content + h.name;
            script += "\n";
        }
    }
    argv.push_back(std::move(script));
    return argv;
}

// Reads `fd` to its end and hands each line (without "\n" or "\r\n"; a last line without a
// newline too) to `line`.
void forEachLine(int fd, const std::function<void(std::string)>& line) {
    std::string pending;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        pending.append(buf, size_t(n));
        size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
            std::string l = pending.substr(0, nl);
            if (!l.empty() && l.back() == '\r') l.pop_back();
            line(std::move(l));
            pending.erase(0, nl + 1);
        }
    }
    if (!pending.empty()) line(std::move(pending));
}

} // namespace

Result<void> BuildRun::doRun(StageState& st, const Instruction& ins, Stage& stage) {
    if (ins.flag("mount"))
        return fail(Errc::Unsupported, stepError(ins, "RUN --mount is not supported by berth yet"));
    if (auto net = ins.flag("network"); net && *net != "none" && *net != "default")
        return fail(Errc::Unsupported, stepError(ins, "RUN --network=" + *net + " is not supported (none, default)"));
    if (ins.flag("security") && *ins.flag("security") != "sandbox")
        return fail(Errc::Unsupported, stepError(ins, "RUN --security=insecure is not supported"));

    json& cfg = st.image.config["config"];
    const std::vector<std::string> argv = runArgv(ins, cfg);
    std::string keyText = "RUN";
    if (auto net = ins.flag("network")) keyText += " --network=" + *net;
    for (auto& a : argv) keyText += " " + a;

    std::string containerId;
    sys::ScopeGuard removeContainer([&] {
        if (!containerId.empty()) (void)m_containers.remove(containerId, true);
    });
    auto work = [&](const fs::path&, int vertex) -> Result<fs::path> {
        if (st.image.id.empty())
            return fail(Errc::InvalidArgument, "RUN needs a root file system: this stage is FROM scratch and has no files yet");
        container::CreateOptions o;
        o.image = st.image.id.str();
        o.name = "berth-build-" + sys::randomHex(6);
        o.entrypoint = ins.json ? std::vector<std::string>{} : std::vector<std::string>{};
        o.cmd = argv;
        o.env = runEnv(st);
        o.workingDir = sys::jsonString(cfg, "WorkingDir");
        o.user = sys::jsonString(cfg, "User");
        o.labels["berth.build"] = "true";
        if (m_stop.stop_requested()) return fail(Errc::Cancelled, "build cancelled");
        // No anonymous volumes for the image's VOLUMEs: BuildKit's RUN keeps what it writes there.
        containerId = BERTH_TRY_CTX(m_containers.create(o, /*imageVolumes=*/false), "create the RUN container");

        // Cancelling reaches the running command through the attach's signal source (see
        // AttachIo::signalFd): the stop callback writes one SIGKILL record into this pipe,
        // the attach loop hands it to the monitor, and the monitor kills the container's
        // init, which takes the whole pid namespace (every process the RUN started) with
        // it. A stop that comes while the container is still starting waits in the pipe
        // and is delivered the moment the attach begins, so no window lets a RUN run on.
        // Writing to a non-blocking pipe is all the callback does: it runs on the thread
        // that cancels (the GUI thread), which must not wait on the store or the monitor.
        int killFds[2];
        if (::pipe2(killFds, O_CLOEXEC | O_NONBLOCK) < 0) return failErrno("pipe for cancelling RUN");
        sys::UniqueFd killRead(killFds[0]), killWrite(killFds[1]);
        std::stop_callback onStop(m_stop, [fd = killWrite.get()] {
            signalfd_siginfo record{};
            record.ssi_signo = SIGKILL;
            (void)!::write(fd, &record, sizeof record);
        });
        if (m_stop.stop_requested()) return fail(Errc::Cancelled, "build cancelled");

        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) < 0) return failErrno("pipe for RUN output");
        sys::UniqueFd readEnd(fds[0]), writeEnd(fds[1]);
        auto started = std::chrono::steady_clock::now();
        std::thread reader([&, fd = readEnd.get()] {
            forEachLine(fd, [&](std::string line) {
                emit({BuildEvent::Kind::Output, vertex, "", std::move(line),
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()});
            });
        });
        container::AttachIo io{-1, writeEnd.get(), writeEnd.get()};
        io.signalFd = killRead.get();
        auto exit = m_containers.startAttached(containerId, io);
        writeEnd.reset();
        reader.join();
        if (m_stop.stop_requested()) return fail(Errc::Cancelled, "build cancelled");
        if (!exit) return fail(exit.error().withContext("start the RUN container"));
        if (*exit != 0) {
            std::string shown;
            for (auto& a : argv) shown += (shown.empty() ? "" : " ") + a;
            if (shown.size() > 200) shown = shown.substr(0, 197) + "...";
            m_runExit = *exit;
            return fail(Errc::Io, fmt::format("process \"{}\" did not complete successfully: exit code: {}", shown, *exit));
        }
        auto rec = BERTH_TRY(m_containers.get(containerId));
        fs::path upper = rec.dir / "upper";
        dropMountPoints(upper, layerDirs(m_images.layout(), st.image));
        return upper;
    };
    return layerStep(stage, st, ins, keyText, work);
}

} // namespace berth::build
