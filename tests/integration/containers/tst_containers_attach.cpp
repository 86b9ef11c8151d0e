// Interactive containers through the CLI: the pty follows the user's window size (run -it
// and exec -it), an attached run and start -a forward SIGTERM to the container (docker's sig-proxy),
// `attach` to a running container (stdin in, output out, exit code, ctrl-p ctrl-q) and to
// one waiting for its restart, --detach-keys in docker's format (run, start -a, attach,
// exec -it), exec's sig-proxy, docker's kill/stop events, and `events` streaming until
// --until with docker's filters and JSON.
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

#include <chrono>
#include <regex>

using namespace berth::test;

namespace {

// A berth CLI running in the background, its stdio either pipes or a pty the test holds
// the master side of (then the CLI leads a session with that pty as its terminal, so a
// resize of the pty sends it SIGWINCH, as a terminal emulator's resize would).
class BerthProcess {
public:
    BerthProcess(const std::filesystem::path& root, const std::vector<std::string>& args, bool pty,
                 unsigned short rows = 0, unsigned short cols = 0) {
        std::vector<std::string> argv{builtProgram("berth").string(), "--root", root.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char*> cargv;
        for (auto& a : argv) cargv.push_back(a.data());
        cargv.push_back(nullptr);
        int in[2] = {-1, -1}, out[2] = {-1, -1};
        int slave = -1;
        if (pty) {
            m_out = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
            ::grantpt(m_out);
            ::unlockpt(m_out);
            winsize ws{};
            ws.ws_row = rows;
            ws.ws_col = cols;
            ::ioctl(m_out, TIOCSWINSZ, &ws);
            slave = ::open(::ptsname(m_out), O_RDWR | O_NOCTTY | O_CLOEXEC);
            m_in = m_out;
        } else {
            ::pipe2(in, O_CLOEXEC);
            ::pipe2(out, O_CLOEXEC);
            m_in = in[1];
            m_out = out[0];
        }
        m_pid = ::fork();
        if (m_pid == 0) {
            if (pty) {
                ::setsid();
                ::ioctl(slave, TIOCSCTTY, 0);
                ::dup2(slave, 0);
                ::dup2(slave, 1);
                ::dup2(slave, 2);
            } else {
                ::dup2(in[0], 0);
                ::dup2(out[1], 1);
                ::dup2(out[1], 2);
            }
            ::execv(cargv[0], cargv.data());
            ::_exit(127);
        }
        if (slave >= 0) ::close(slave);
        if (!pty) {
            ::close(in[0]);
            ::close(out[1]);
        }
    }
    ~BerthProcess() {
        if (m_pid > 0 && !m_reaped) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        if (m_in >= 0 && m_in != m_out) ::close(m_in);
        if (m_out >= 0) ::close(m_out);
    }

    pid_t pid() const { return m_pid; }
    void write(const std::string& s) { QVERIFY(::write(m_in, s.data(), s.size()) == ssize_t(s.size())); }
    void closeInput() {
        if (m_in != m_out) {
            ::close(m_in);
            m_in = -1;
        }
    }
    void resize(unsigned short rows, unsigned short cols) {
        winsize ws{};
        ws.ws_row = rows;
        ws.ws_col = cols;
        ::ioctl(m_out, TIOCSWINSZ, &ws);
    }

    // Reads until `re` matches what arrived so far (or the deadline); returns whether it did.
    bool waitFor(const std::regex& re, int timeoutMs = 30000) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (true) {
            if (std::regex_search(m_seen, re)) return true;
            int left = int(std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count());
            if (left <= 0) return false;
            pollfd p{m_out, POLLIN, 0};
            if (::poll(&p, 1, left) <= 0) continue;
            char buf[4096];
            ssize_t n = ::read(m_out, buf, sizeof buf);
            if (n <= 0) return std::regex_search(m_seen, re);
            m_seen.append(buf, size_t(n));
        }
    }
    const std::string& seen() const { return m_seen; }
    void forget() { m_seen.clear(); }

    // Waits for the exit (killing it after the timeout); its exit code, -1 if killed.
    int wait(int timeoutMs = 60000) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        int status = 0;
        while (true) {
            // Keep draining the output so the CLI never blocks on a full pipe.
            pollfd p{m_out, POLLIN, 0};
            if (::poll(&p, 1, 50) > 0) {
                char buf[4096];
                ssize_t n = ::read(m_out, buf, sizeof buf);
                if (n > 0) m_seen.append(buf, size_t(n));
            }
            pid_t r = ::waitpid(m_pid, &status, WNOHANG);
            if (r == m_pid) break;
            if (std::chrono::steady_clock::now() > end) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
                m_reaped = true;
                return -1;
            }
        }
        m_reaped = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    pid_t m_pid = -1;
    int m_in = -1, m_out = -1;
    bool m_reaped = false;
    std::string m_seen;
};

// The container prints its pty's size at start and again for every line it reads.
const char* kSizeLoop = "stty size; while read x; do stty size; done";

} // namespace

class ContainersAttach : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

    // Under a 30x100 terminal, the process sees 30x100 first thing; after the terminal is
    // resized to 41x123 it sees that.
    void checkResizeFollowed(BerthProcess& p) {
        QVERIFY2(p.waitFor(std::regex("(^|\\n)30 100\\r*\\n")), p.seen().c_str());
        p.forget();
        p.resize(41, 123);
        // The resize travels CLI -> monitor/helper -> pty asynchronously: ask until seen.
        QVERIFY2(eventually([&] {
                     p.write("\r");
                     return p.waitFor(std::regex("(^|\\n)41 123\\r*\\n"), 500);
                 }),
                 p.seen().c_str());
        p.write("\x04");  // EOF for the container's `read`, through its pty
    }

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void runTtyFollowsWindowSize() {
        BerthProcess p(s->root(), {"run", "-it", "--rm", "busybox", "sh", "-c", kSizeLoop}, true, 30, 100);
        checkResizeFollowed(p);
        QCOMPARE(p.wait(), 0);
    }

    void execTtyFollowsWindowSize() {
        QCOMPARE(s->berth({"run", "-d", "--name", "box", "busybox", "sleep", "300"}).exitCode, 0);
        BerthProcess p(s->root(), {"exec", "-it", "box", "sh", "-c", kSizeLoop}, true, 30, 100);
        checkResizeFollowed(p);
        QCOMPARE(p.wait(), 0);
    }

    void attachedRunForwardsSigterm() {
        BerthProcess p(s->root(),
                       {"run", "--name", "trapper", "busybox", "sh", "-c",
                        "trap 'exit 42' TERM; echo ready; while true; do sleep 0.1; done"},
                       false);
        QVERIFY2(p.waitFor(std::regex("ready\\n")), p.seen().c_str());
        QCOMPARE(::kill(p.pid(), SIGTERM), 0);
        QCOMPARE(p.wait(), 42);
        QCOMPARE(s->inspect("trapper")["State"]["ExitCode"].get<int>(), 42);
    }

    void startAttachForwardsSigterm() {
        QCOMPARE(s->berth({"create", "--name", "trapper", "busybox", "sh", "-c",
                           "trap 'exit 43' TERM; echo ready; while true; do sleep 0.1; done"})
                     .exitCode,
                 0);
        BerthProcess p(s->root(), {"start", "-a", "trapper"}, false);
        QVERIFY2(p.waitFor(std::regex("ready\\n")), p.seen().c_str());
        QCOMPARE(::kill(p.pid(), SIGTERM), 0);
        QCOMPARE(p.wait(), 43);
    }

    void attachedRunWithoutSigProxyDoesNotForward() {
        // --sig-proxy=false: SIGTERM ends the CLI (its default action), not the container.
        BerthProcess p(s->root(),
                       {"run", "--sig-proxy=false", "--name", "trapper", "busybox", "sh", "-c",
                        "trap 'exit 42' TERM; echo ready; while true; do sleep 0.1; done"},
                       false);
        QVERIFY2(p.waitFor(std::regex("ready\\n")), p.seen().c_str());
        QCOMPARE(::kill(p.pid(), SIGTERM), 0);
        QCOMPARE(p.wait(), 128 + SIGTERM);
        QCOMPARE(s->inspect("trapper")["State"]["Running"].get<bool>(), true);
    }

    void attachSendsStdinAndReadsOutput() {
        QCOMPARE(s->berth({"run", "-d", "-i", "--name", "echoer", "busybox", "cat"}).exitCode, 0);
        BerthProcess p(s->root(), {"attach", "echoer"}, false);
        p.write("hello through attach\n");
        QVERIFY2(p.waitFor(std::regex("hello through attach\\n")), p.seen().c_str());
        // The end of the attach's input is its own: the container keeps its stdin, so a
        // second attach still reaches cat.
        p.closeInput();
        BerthProcess again(s->root(), {"attach", "echoer"}, false);
        again.write("second line\n");
        QVERIFY2(again.waitFor(std::regex("second line\n")), again.seen().c_str());
        // Both end when the container does, with the container's code (SIGKILL: 137).
        QCOMPARE(s->berth({"stop", "-t", "0", "echoer"}).exitCode, 0);
        QCOMPARE(p.wait(), 137);
        QCOMPARE(again.wait(), 137);
    }

    void attachExitsWithContainerCode() {
        // The container waits for a line that only the attach can deliver, then exits 3.
        QCOMPARE(s->berth({"run", "-d", "-i", "--name", "three", "busybox", "sh", "-c", "read x; echo got $x; exit 3"})
                     .exitCode,
                 0);
        BerthProcess p(s->root(), {"attach", "three"}, false);
        p.write("go\n");
        QCOMPARE(p.wait(), 3);
        QVERIFY2(p.seen().find("got go\n") != std::string::npos, p.seen().c_str());
        QCOMPARE(s->inspect("three")["State"]["ExitCode"].get<int>(), 3);
    }

    void attachToStoppedContainerIsRefused() {
        QCOMPARE(s->berth({"create", "--name", "idle", "busybox", "true"}).exitCode, 0);
        auto r = s->berth({"attach", "idle"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("cannot attach to a stopped container") != std::string::npos, r.err.c_str());
    }

    void detachKeysLeaveTtyContainerRunning() {
        QCOMPARE(s->berth({"run", "-d", "-it", "--name", "shell", "busybox", "sh"}).exitCode, 0);
        BerthProcess p(s->root(), {"attach", "shell"}, false);
        // Stdin reached the shell through the attach (its output comes back)...
        p.write("echo mark-$((6*7))\n");
        QVERIFY2(p.waitFor(std::regex("mark-42")), p.seen().c_str());
        // ...then ctrl-p ctrl-q: the CLI leaves with 0, the shell runs on.
        p.write("\x10\x11");
        QCOMPARE(p.wait(), 0);
        QCOMPARE(s->inspect("shell")["State"]["Running"].get<bool>(), true);
        // And it can be attached again.
        BerthProcess again(s->root(), {"attach", "shell"}, false);
        again.write("exit 5\n");
        QCOMPARE(again.wait(), 5);
    }

    void detachKeysFollowDockersFormat() {
        // A custom sequence detaches (ctrl-x then e); the default one is then plain input.
        QCOMPARE(s->berth({"run", "-d", "-it", "--name", "shell", "busybox", "sh"}).exitCode, 0);
        BerthProcess p(s->root(), {"attach", "--detach-keys", "ctrl-x,e", "shell"}, false);
        p.write("echo mark-$((6*7))\n");
        QVERIFY2(p.waitFor(std::regex("mark-42")), p.seen().c_str());
        p.write("\x18" "e");  // (one literal would be the hex escape \x18e)
        QCOMPARE(p.wait(), 0);
        QCOMPARE(s->inspect("shell")["State"]["Running"].get<bool>(), true);

        // start -a with a single-letter key: the container's shell, attached again, is
        // left with `q`; run -it with ctrl-@ (NUL) the same.
        QCOMPARE(s->berth({"create", "-it", "--name", "second", "busybox", "sh"}).exitCode, 0);
        BerthProcess started(s->root(), {"start", "-a", "-i", "--detach-keys", "q", "second"}, false);
        started.write("echo up-$((2*3))\n");
        QVERIFY2(started.waitFor(std::regex("up-6")), started.seen().c_str());
        started.write("q");
        QCOMPARE(started.wait(), 0);
        QCOMPARE(s->inspect("second")["State"]["Running"].get<bool>(), true);
        BerthProcess run(s->root(), {"run", "-it", "--name", "third", "--detach-keys", "ctrl-@", "busybox", "sh"}, true, 24, 80);
        run.write("echo in-$((3*3))\r");
        QVERIFY2(run.waitFor(std::regex("in-9")), run.seen().c_str());
        run.write(std::string(1, '\0'));
        QCOMPARE(run.wait(), 0);
        QCOMPARE(s->inspect("third")["State"]["Running"].get<bool>(), true);

        // Bad specs: a clear error, exit 125, and run creates nothing.
        auto before = s->containerDirs().size();
        for (auto spec : {"ctrl-1", "ctrl-", "abc", "ctrl-p,,ctrl-q"}) {
            auto r = s->berth({"run", "--detach-keys", spec, "busybox", "true"});
            QCOMPARE(r.exitCode, 125);
            QVERIFY2(r.err.find("invalid detach keys") != std::string::npos, r.err.c_str());
        }
        QCOMPARE(s->containerDirs().size(), before);
        auto a = s->berth({"attach", "--detach-keys", "ctrl-é", "shell"});
        QCOMPARE(a.exitCode, 125);
        QVERIFY2(a.err.find("invalid detach keys") != std::string::npos, a.err.c_str());
        auto st = s->berth({"start", "-a", "--detach-keys", "xy", "shell"});
        QCOMPARE(st.exitCode, 125);
        auto e = s->berth({"exec", "-it", "--detach-keys", "ctrl-9", "shell", "true"});
        QCOMPARE(e.exitCode, 125);
        QVERIFY2(e.err.find("invalid detach keys") != std::string::npos, e.err.c_str());
    }

    void execDetachKeysLeaveProcessRunning() {
        QCOMPARE(s->berth({"run", "-d", "--name", "box", "busybox", "sleep", "300"}).exitCode, 0);
        BerthProcess p(s->root(), {"exec", "-it", "--detach-keys", "ctrl-a", "box", "sh", "-c", "echo started; exec sleep 301"},
                       true, 24, 80);
        QVERIFY2(p.waitFor(std::regex("started")), p.seen().c_str());
        p.write("\x01");
        QCOMPARE(p.wait(), 0);
        // The exec'd process runs on in the container after the CLI left.
        auto ps = s->berth({"exec", "box", "ps", "-o", "args"});
        QCOMPARE(ps.exitCode, 0);
        QVERIFY2(ps.out.find("sleep 301") != std::string::npos, ps.out.c_str());
    }

    void execProxiesSignals() {
        QCOMPARE(s->berth({"run", "-d", "--name", "box", "busybox", "sleep", "300"}).exitCode, 0);
        BerthProcess p(s->root(),
                       {"exec", "box", "sh", "-c",
                        "trap 'echo got-USR1' USR1; trap 'echo got-HUP' HUP; trap 'echo got-INT' INT; "
                        "trap 'echo got-TERM; exit 44' TERM; echo ready; while true; do sleep 0.1; done"},
                       false);
        QVERIFY2(p.waitFor(std::regex("ready\n")), p.seen().c_str());
        // Each signal the CLI receives reaches the exec'd shell (its trap prints)...
        QCOMPARE(::kill(p.pid(), SIGUSR1), 0);
        QVERIFY2(p.waitFor(std::regex("got-USR1\n")), p.seen().c_str());
        QCOMPARE(::kill(p.pid(), SIGHUP), 0);
        QVERIFY2(p.waitFor(std::regex("got-HUP\n")), p.seen().c_str());
        QCOMPARE(::kill(p.pid(), SIGINT), 0);
        QVERIFY2(p.waitFor(std::regex("got-INT\n")), p.seen().c_str());
        // ...and once, not twice: the CLI is alive and the shell printed each one once.
        QCOMPARE(p.seen().find("got-INT") , p.seen().rfind("got-INT"));
        QCOMPARE(::kill(p.pid(), SIGTERM), 0);
        QCOMPARE(p.wait(), 44);
        QVERIFY2(p.seen().find("got-TERM\n") != std::string::npos, p.seen().c_str());
        // The container itself was not signalled.
        QCOMPARE(s->inspect("box")["State"]["Running"].get<bool>(), true);
    }

    void attachWaitsForRestart() {
        // Runs 1-6 fail at once; the restart policy's back-off doubles from 100 ms, so after
        // the sixth failure the container waits 3.2 s as "restarting". The seventh run
        // prints its number, waits for a line and exits 0 (no more restarts).
        QCOMPARE(s->berth({"run", "-d", "-i", "--name", "flappy", "--restart", "on-failure:10", "busybox", "sh", "-c",
                           "n=$(cat /n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /n; "
                           "if [ $n -ge 7 ]; then echo life-$n; read x; echo read-$x; exit 0; fi; exit 1"})
                     .exitCode,
                 0);
        QVERIFY(eventually([&] {
            auto st = s->inspect("flappy")["State"];
            return st.value("Restarting", false) && s->inspect("flappy").value("RestartCount", 0) >= 6;
        }, 60000));
        // Attached while it waits to restart: the attach follows into the restarted process.
        BerthProcess p(s->root(), {"attach", "flappy"}, false);
        QVERIFY2(p.waitFor(std::regex("life-7\n")), p.seen().c_str());
        p.write("hello\n");
        QCOMPARE(p.wait(), 0);
        QVERIFY2(p.seen().find("read-hello\n") != std::string::npos, p.seen().c_str());
        QCOMPARE(s->inspect("flappy")["State"]["Running"].get<bool>(), false);
        QCOMPARE(s->inspect("flappy")["RestartCount"].get<int>(), 6);
    }

    void stopAndKillAreJournaled() {
        // Docker's events: a stop journals "kill" (with the signal) before the death it
        // causes and "stop" after; a kill journals "kill" before the death.
        auto since = std::to_string(std::time(nullptr) - 1);
        // (A shell that exits on SIGTERM: sleep as pid 1 would ignore it and get a second
        // "kill" with SIGKILL after the timeout.)
        QCOMPARE(s->berth({"run", "-d", "--name", "stopped", "busybox", "sh", "-c",
                           "trap 'exit 0' TERM; while true; do sleep 0.1; done"})
                     .exitCode,
                 0);
        QCOMPARE(s->berth({"stop", "-t", "5", "stopped"}).exitCode, 0);
        QCOMPARE(s->berth({"run", "-d", "--name", "killed", "busybox", "sleep", "300"}).exitCode, 0);
        QCOMPARE(s->berth({"kill", "-s", "KILL", "killed"}).exitCode, 0);
        QVERIFY(eventually([&] { return !s->inspect("killed")["State"]["Running"].get<bool>(); }));
        auto history = [&](const char* name) {
            auto r = s->berth({"events", "--since", since, "--until", "0s", "--filter", std::string("container=") + name,
                               "--format", "{{.Action}} {{.Actor.Attributes.signal}}"});
            return r.out;
        };
        auto stopped = history("stopped");
        QVERIFY2(stopped.find("start <no value>\nkill 15\ndie <no value>\nstop <no value>\n") != std::string::npos, stopped.c_str());
        auto killed = history("killed");
        QVERIFY2(killed.find("start <no value>\nkill 9\ndie <no value>\n") != std::string::npos, killed.c_str());
    }

    void eventsStreamUntilAndFilter() {
        auto startSecs = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count() - 1);
        // Streams (does not exit after the past, as it did before) until --until: 15 s on.
        BerthProcess follow(s->root(), {"events", "-f", "event=die", "-f", "container=late", "--format", "{{json .}}",
                                        "--until", std::to_string(std::time(nullptr) + 15)},
                            false);
        QCOMPARE(s->berth({"run", "--name", "early", "busybox", "true"}).exitCode, 0);
        QCOMPARE(s->berth({"run", "--name", "late", "busybox", "sh", "-c", "exit 9"}).exitCode, 9);
        QVERIFY2(follow.waitFor(std::regex("\\n")), follow.seen().c_str());
        QCOMPARE(follow.wait(60000), 0);
        std::istringstream lines(follow.seen());
        std::string line;
        std::vector<nlohmann::json> got;
        while (std::getline(lines, line))
            if (!line.empty()) got.push_back(nlohmann::json::parse(line));
        QCOMPARE(got.size(), size_t(1));
        QCOMPARE(got[0]["Type"].get<std::string>(), std::string("container"));
        QCOMPARE(got[0]["Action"].get<std::string>(), std::string("die"));
        QCOMPARE(got[0]["status"].get<std::string>(), std::string("die"));
        QCOMPARE(got[0]["Actor"]["Attributes"]["name"].get<std::string>(), std::string("late"));
        QCOMPARE(got[0]["Actor"]["Attributes"]["exitCode"].get<std::string>(), std::string("9"));
        QCOMPARE(got[0]["from"].get<std::string>(), std::string("busybox"));

        // --since/--until in the past: the history between, then exit.
        auto past = s->berth({"events", "--since", startSecs, "--until", "0s", "--filter", "type=container",
                              "--format", "{{.Action}} {{.Actor.Attributes.name}}"});
        QCOMPARE(past.exitCode, 0);
        QVERIFY2(past.out.find("start early\n") != std::string::npos, past.out.c_str());
        QVERIFY2(past.out.find("die late\n") != std::string::npos, past.out.c_str());
        QVERIFY2(past.out.find("start early\n") < past.out.find("die late\n"), past.out.c_str());
    }
};

BERTH_ROOT_TEST_MAIN(ContainersAttach)
#include "tst_containers_attach.moc"
