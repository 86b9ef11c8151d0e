// Processes entering a container, attacked from inside it (issue 15, "Processes joining a
// container"): a container process pushing input into the host terminal that ran berth
// (TIOCSTI), reading the joining process's /proc (environ, cmdline, exe) before it execs,
// and seizing it with ptrace before its seccomp filter is loaded. Each test performs the
// attack with escape_probe (a static program bind-mounted into busybox containers) and
// asserts that it failed.
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <fstream>
#include <sstream>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

const std::string kProbe = ESCAPE_PROBE;

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Execs of `true` needed at most before a watcher catches one joining process before its
// execve. The moment is short (the process is in the container from the start of its
// cgroup placement to its execve), so a watcher meets it by chance; each exec is one
// chance, and the test requires a hit (a few execs each here).
constexpr int kMaxExecs = 100;

// The lines of `log` that start with `prefix`.
std::vector<std::string> linesStartingWith(const std::string& log, const std::string& prefix) {
    std::vector<std::string> out;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix)) out.push_back(line);
    return out;
}

} // namespace

class ContainersExecEscape : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

    std::string berthCommand() const {
        return shellQuote(builtProgram("berth").string()) + " --root " + shellQuote(s->root().string());
    }

    // Runs `berthArgs` (a shell fragment) on a new pty as the session's terminal, like a
    // user's shell would; then the host pushes SENTINEL into that terminal and reads the
    // first line of input. Anything the container pushed comes before it.
    CommandResult onTerminal(const std::string& berthArgs) {
        std::string script = berthCommand() + " " + berthArgs + " </dev/null; " + shellQuote(kProbe) +
                             " sti SENTINEL >/dev/null; read line; echo \"FIRST-LINE=[$line]\"";
        return runCommand({kProbe, "pty-run", "/bin/sh", "-c", script});
    }

    // The container's own report must show no way to the terminal: no controlling terminal
    // (ENXIO) and no terminal among its stdio.
    static void verifyNoTerminal(const std::string& out) {
        QVERIFY2(out.find("PWNED tty-open: No such device or address") != std::string::npos, out.c_str());
        for (int fd = 0; fd < 3; ++fd)
            QVERIFY2(out.find("PWNED fd" + std::to_string(fd) + ": not a terminal") != std::string::npos, out.c_str());
        QVERIFY2(out.find("FIRST-LINE=[SENTINEL]") != std::string::npos, out.c_str());
    }

    // Logs of a watcher container once it ended (stopped with SIGTERM, which it handles).
    std::string stopAndLogs(const std::string& name) {
        s->berth({"stop", "-t", "20", name});
        return s->berth({"logs", name}).out;
    }

    void startWatcher(const std::string& name, const std::vector<std::string>& cmd) {
        std::vector<std::string> args{"run", "-d", "--name", name, "--security-opt", "no-new-privileges",
                                      "-v", kProbe + ":/probe:ro", "busybox", "/probe"};
        args.insert(args.end(), cmd.begin(), cmd.end());
        auto r = s->berth(args);
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY(eventually([&] { return s->berth({"logs", name}).out.find("READY") != std::string::npos; }));
    }

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("needs /bin/busybox (busybox-static) for the test image", MissingProgram);
        if (!fs::exists(kProbe)) BERTH_SKIP("escape_probe was not built", NotBuilt);
    }
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    // exec without -t used to hand the caller's fds 0-2 to the process and keep it in the
    // caller's session: /dev/tty was the user's terminal, and TIOCSTI typed into the shell
    // that ran `berth exec`.
    void execCannotTypeIntoTheHostTerminal() {
        auto r = s->berth({"run", "-d", "--name", "victim", "-v", kProbe + ":/probe:ro", "busybox", "sleep", "1000"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        auto t = onTerminal("exec victim /probe sti PWNED");
        verifyNoTerminal(t.out);
        // exec -i: stdin is a pipe as well, and input still arrives.
        auto i = runCommand({"/bin/sh", "-c", "echo hello | " + berthCommand() + " exec -i victim cat"});
        QCOMPARE(i.out, std::string("hello\n"));
    }

    // The same attack from a container's main process (attached run, with -i) and from a
    // build's RUN: their stdio are the monitor's pipes and the init has a session of its own.
    void runCannotTypeIntoTheHostTerminal() {
        auto t = onTerminal("run --rm -i -v " + shellQuote(kProbe + ":/probe:ro") + " busybox /probe sti PWNED");
        verifyNoTerminal(t.out);
    }

    void buildRunCannotTypeIntoTheHostTerminal() {
        TempDir ctx;
        fs::copy_file(kProbe, ctx.path() / "probe");
        writeFile(ctx.path() / "Dockerfile", "FROM busybox\nCOPY probe /probe\nRUN /probe sti PWNED\n");
        auto t = onTerminal("build --progress plain -t sti-test " + shellQuote(ctx.path().string()));
        verifyNoTerminal(t.out);
    }

    // Runs `berth exec [execArgs] NAME true` until the probe in NAME reports a process it
    // caught before its execve (a "PRE-EXEC" line), at most kMaxExecs times; returns how many
    // execs that took (0: never caught). Each exec must succeed unless `mayFail`.
    int execUntilCaughtBeforeExec(const std::string& name, const std::vector<std::string>& execArgs,
                                  const std::vector<std::string>& env, bool mayFail) {
        std::vector<std::string> argv{builtProgram("berth").string(), "--root", s->root().string(), "exec"};
        argv.insert(argv.end(), execArgs.begin(), execArgs.end());
        argv.insert(argv.end(), {name, "true"});
        for (int i = 1; i <= kMaxExecs; ++i) {
            auto r = runCommand(argv, 120000, env);
            if (!mayFail && r.exitCode != 0) {
                qWarning("exec %d failed: %s", i, r.err.c_str());
                return 0;
            }
            if (s->berth({"logs", name}).out.find("PRE-EXEC ") != std::string::npos) return i;
        }
        return 0;
    }

    // Until execve the joining process is a copy of the exec helper: its environ is the
    // caller's (host paths, whatever secrets the user's shell holds), its exe the host's
    // berth-monitor, and its cmdline was the exec request with the -e values. Container
    // root watching /proc must get none of it. The watcher has to have caught a joining
    // process before its execve for that to mean anything: the test execs until it has.
    void joiningProcessIsUnreadableFromTheContainer() {
        std::string hostCanary = "hostcanary" + std::to_string(::getpid());
        std::string execCanary = "execcanary" + std::to_string(::getpid());
        startWatcher("watcher", {"watch-proc", hostCanary, execCanary});
        int execs = execUntilCaughtBeforeExec("watcher", {"-e", "SECRET=" + execCanary},
                                              {"BERTH_TEST_HOST_SECRET=" + hostCanary}, false);
        auto logs = stopAndLogs("watcher");
        QVERIFY2(execs > 0, ("no joining process caught before its execve in " + std::to_string(kMaxExecs) +
                             " execs: the attack was not performed\n" + logs).c_str());
        qInfo("caught a joining process before its execve after %d exec(s)", execs);
        QVERIFY2(logs.find("DONE") != std::string::npos, logs.c_str());
        QVERIFY2(logs.find("LEAK") == std::string::npos, logs.c_str());
        for (auto& line : linesStartingWith(logs, "PRE-EXEC "))
            QVERIFY2(line.ends_with("environ Permission denied"), line.c_str());
    }

    // With no_new_privs the process used to become the container's root, with exactly the
    // container's capabilities, before loading its filter: container root could attach
    // with ptrace in that window and make it run a system call the profile forbids.
    void joiningProcessIsFilteredBeforeItCanBeSeized() {
#if !defined(__x86_64__)
        BERTH_SKIP("the ptrace probe injects an x86_64 system call", HostSetup);
#endif
        startWatcher("seizer", {"seize"});
        // A process the attacker did reach may fail: the verdict is the log.
        int execs = execUntilCaughtBeforeExec("seizer", {}, {}, true);
        auto logs = stopAndLogs("seizer");
        QVERIFY2(execs > 0, ("no joining process caught before its execve in " + std::to_string(kMaxExecs) +
                             " execs: the attack was not performed\n" + logs).c_str());
        qInfo("caught a joining process before its execve after %d exec(s)", execs);
        for (auto& line : linesStartingWith(logs, "PRE-EXEC "))
            QVERIFY2(line.ends_with("seize Operation not permitted"), line.c_str());
        QVERIFY2(logs.find("DONE") != std::string::npos, logs.c_str());
        QVERIFY2(logs.find("FORBIDDEN") == std::string::npos, logs.c_str());
        QVERIFY2(logs.find("Seccomp:\t0") == std::string::npos, logs.c_str());
    }
};

BERTH_ROOT_TEST_MAIN(ContainersExecEscape)
#include "tst_containers_exec_escape.moc"
