// Containers through the CLI: exit codes, log ordering, stop's SIGTERM-then-SIGKILL,
// restart policy, surviving the CLI, pause, rm -f, and clear errors for bad input.
#include "skip.h"
#include "container_test_helpers.h"

#include "berth/engine.h"

#include <QtTest/QtTest>

#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>

using namespace berth::test;

class ContainersLifecycle : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void exitCodesAreRecorded() {
        for (int code : {0, 1, 42, 255}) {
            auto r = s->berth({"run", "--rm", "busybox", "sh", "-c", "exit " + std::to_string(code)});
            QCOMPARE(r.exitCode, code);
        }
        // Kept (no --rm): the record says the same.
        auto r = s->berth({"run", "--name", "seven", "busybox", "sh", "-c", "exit 7"});
        QCOMPARE(r.exitCode, 7);
        auto j = s->inspect("seven");
        QCOMPARE(j["State"]["ExitCode"].get<int>(), 7);
        QCOMPARE(j["State"]["Status"].get<std::string>(), std::string("exited"));
        // Killed by a signal: 128 + n. (A container's init ignores signals it has no
        // handler for, except SIGKILL from outside, so KILL is the one to send.)
        QCOMPARE(s->berth({"run", "-d", "--name", "killed", "busybox", "sleep", "300"}).exitCode, 0);
        QCOMPARE(s->berth({"kill", "-s", "KILL", "killed"}).exitCode, 0);
        QCOMPARE(trimmed(s->berth({"wait", "killed"}).out), std::string("137"));
        QCOMPARE(s->inspect("killed")["State"]["ExitCode"].get<int>(), 137);
        // A handled signal that makes the init exit by re-raising is recorded as such
        // when the process dies of it: a shell child killed by SEGV gives 128+11 back.
        r = s->berth({"run", "--rm", "busybox", "sh", "-c", "sh -c 'kill -SEGV $$'; exit $?"});
        QCOMPARE(r.exitCode, 128 + SIGSEGV);
    }

    void stdoutAndStderrOrderedInLog() {
        // Paced writes: two pipes only keep their relative order when the writes are apart.
        auto r = s->berth({"run", "--name", "talk", "busybox", "sh", "-c",
                           "echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2; sleep 0.2; echo err2 >&2"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, std::string("out1\nout2\n"));
        QCOMPARE(r.err, std::string("err1\nerr2\n"));
        auto id = trimmed(s->berth({"ps", "-aq", "--no-trunc", "--filter", "name=talk"}).out);
        QCOMPARE(id.size(), size_t(64));
        std::ifstream in(s->root() / "containers" / id / "log.jsonl");
        std::vector<std::pair<std::string, std::string>> lines;
        std::string line;
        while (std::getline(in, line)) {
            auto j = nlohmann::json::parse(line);
            QVERIFY(j.contains("time"));
            lines.push_back({j["stream"].get<std::string>(), j["log"].get<std::string>()});
        }
        std::vector<std::pair<std::string, std::string>> want{
            {"stdout", "out1\n"}, {"stderr", "err1\n"}, {"stdout", "out2\n"}, {"stderr", "err2\n"}};
        QCOMPARE(lines, want);
        auto logs = s->berth({"logs", "talk"});
        QCOMPARE(logs.out, std::string("out1\nout2\n"));
        QCOMPARE(logs.err, std::string("err1\nerr2\n"));
        auto tail = s->berth({"logs", "--tail", "1", "talk"});
        QCOMPARE(tail.out + tail.err, std::string("err2\n"));
    }

    // --stop-signal and --stop-timeout: `stop` without -t sends the container's own signal and
    // waits its own time; inspect shows both. --dns-search/--dns-option reach resolv.conf.
    void stopSignalAndTimeoutAreTheContainers() {
        auto r = s->berth({"run", "-d", "--name", "own", "--stop-signal", "USR1", "--stop-timeout", "1", "busybox", "sh",
                           "-c", "trap 'echo got-usr1' USR1; while true; do sleep 0.1; done"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY(eventually([&] { return s->inspect("own")["State"]["Running"] == true; }));
        auto config = s->inspect("own")["Config"];
        QCOMPARE(config["StopSignal"].get<std::string>(), std::string("USR1"));
        QCOMPARE(config["StopTimeout"].get<int>(), 1);
        QCOMPARE(s->berth({"stop", "own"}).exitCode, 0);
        auto ev = s->berth({"events", "--filter", "container=own", "--filter", "event=kill", "--until", "0s",
                            "--format", "{{.Actor.Attributes.signal}}"});
        QCOMPARE(ev.out, std::string("10\n9\n"));  // USR1, then KILL after its own 1 s
        QVERIFY(eventually([&] { return s->berth({"logs", "own"}).out.find("got-usr1") != std::string::npos; }, 5000));
        auto bad = s->berth({"run", "--rm", "--stop-signal", "SIGNOPE", "busybox", "true"});
        QCOMPARE(bad.exitCode, 125);
        QVERIFY2(bad.err.find("--stop-signal") != std::string::npos, bad.err.c_str());
        auto resolv = s->berth({"run", "--rm", "--dns-search", "example.test", "--dns-option", "ndots:2", "busybox",
                                "cat", "/etc/resolv.conf"});
        QVERIFY2(resolv.exitCode == 0, resolv.err.c_str());
        QVERIFY2(resolv.out.find("search example.test\n") != std::string::npos, resolv.out.c_str());
        QVERIFY2(resolv.out.find("options ndots:2\n") != std::string::npos, resolv.out.c_str());
    }

    void stopSendsTermThenKill() {
        auto r = s->berth({"run", "-d", "--name", "stubborn", "busybox", "sh", "-c",
                           "trap 'echo got-term' TERM; while true; do sleep 0.1; done"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(eventually([&] { return s->inspect("stubborn")["State"]["Running"] == true; }));
        r = s->berth({"stop", "-t", "2", "stubborn"});
        QCOMPARE(r.exitCode, 0);
        // The journal: TERM, then KILL once the 2 s grace period had passed (the engine's own
        // event times, not a clock in this test).
        auto ev = s->berth({"events", "--filter", "container=stubborn", "--filter", "event=kill", "--until", "0s",
                            "--format", "json"});
        std::vector<std::pair<std::string, int64_t>> kills;  // signal, timeNano
        std::istringstream lines(ev.out);
        for (std::string line; std::getline(lines, line);) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            if (!j.is_discarded())
                kills.emplace_back(j["Actor"]["Attributes"].value("signal", ""), j.value("timeNano", int64_t(0)));
        }
        QVERIFY2(kills.size() == 2, ev.out.c_str());
        QCOMPARE(kills[0].first, std::string("15"));
        QCOMPARE(kills[1].first, std::string("9"));
        QVERIFY2(kills[1].second - kills[0].second >= int64_t(2000000000), "KILL came before the 2 s grace period ended");
        auto j = s->inspect("stubborn");
        QCOMPARE(j["State"]["ExitCode"].get<int>(), 137);
        QCOMPARE(j["State"]["Running"].get<bool>(), false);
        // The trap ran: TERM was delivered before KILL.
        QVERIFY(eventually([&] { return s->berth({"logs", "stubborn"}).out.find("got-term") != std::string::npos; }, 5000));
    }

    void restartPolicyOnFailureRestartsTwice() {
        auto r = s->berth({"run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "echo run; exit 3"});
        QCOMPARE(r.exitCode, 0);
        auto w = s->berth({"wait", "flaky"}, 60000);
        QCOMPARE(trimmed(w.out), std::string("3"));
        auto j = s->inspect("flaky");
        QCOMPARE(j["RestartCount"].get<int>(), 2);
        QCOMPARE(j["State"]["Status"].get<std::string>(), std::string("exited"));
        auto logs = s->berth({"logs", "flaky"});
        QCOMPARE(logs.out, std::string("run\nrun\nrun\n"));
    }

    void containerOutlivesItsCli() {
        QProcess cli;
        cli.setProgram(QString::fromStdString(builtProgram("berth").string()));
        cli.setArguments({"--root", QString::fromStdString(s->root().string()), "run", "--name", "lasting",
                          "busybox", "sleep", "300"});
        cli.start();
        QVERIFY(cli.waitForStarted());
        QVERIFY(eventually([&] { return s->inspect("lasting")["State"]["Running"] == true; }));
        ::kill(pid_t(cli.processId()), SIGKILL);
        QVERIFY(cli.waitForFinished());
        auto j = s->inspect("lasting");
        QCOMPARE(j["State"]["Running"].get<bool>(), true);
        pid_t pid = j["State"]["Pid"].get<pid_t>();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, 0), 0);
        QCOMPARE(s->berth({"rm", "-f", "lasting"}).exitCode, 0);
    }

    void pauseAndUnpause() {
        QCOMPARE(s->berth({"run", "-d", "--name", "napper", "busybox", "sleep", "300"}).exitCode, 0);
        QCOMPARE(s->berth({"pause", "napper"}).exitCode, 0);
        auto j = s->inspect("napper");
        QCOMPARE(j["State"]["Status"].get<std::string>(), std::string("paused"));
        QCOMPARE(j["State"]["Paused"].get<bool>(), true);
        // Frozen: exec is refused while paused.
        QVERIFY(s->berth({"exec", "napper", "true"}).exitCode != 0);
        QCOMPARE(s->berth({"unpause", "napper"}).exitCode, 0);
        QCOMPARE(s->inspect("napper")["State"]["Status"].get<std::string>(), std::string("running"));
        auto e = s->berth({"exec", "napper", "echo", "awake"});
        QCOMPARE(e.exitCode, 0);
        QCOMPARE(e.out, std::string("awake\n"));
    }

    void rmForceRemovesRunning() {
        QCOMPARE(s->berth({"run", "-d", "--name", "busy", "busybox", "sleep", "300"}).exitCode, 0);
        auto pid = s->inspect("busy")["State"]["Pid"].get<pid_t>();
        auto r = s->berth({"rm", "busy"});
        QVERIFY(r.exitCode != 0);
        QVERIFY(r.err.find("stop the container") != std::string::npos);
        QCOMPARE(s->berth({"rm", "-f", "busy"}).exitCode, 0);
        QVERIFY(s->berth({"container", "inspect", "busy"}).exitCode != 0);
        QVERIFY(eventually([&] { return ::kill(pid, 0) != 0; }, 5000));
        QVERIFY(s->containerDirs().empty());
        // A kept container's overlay is unmounted (and synced) by a short-lived child of its
        // monitor after the exit is recorded: it goes by itself.
        QVERIFY(eventually([&] { return s->liveMonitors().empty(); }));
    }

    void idPrefixAndNameLookup() {
        auto id = trimmed(s->berth({"create", "--name", "lookup", "busybox", "true"}).out);
        QCOMPARE(id.size(), size_t(64));
        QCOMPARE(s->inspect(id.substr(0, 6))["Id"].get<std::string>(), id);
        QCOMPARE(s->inspect("lookup")["Id"].get<std::string>(), id);
        QCOMPARE(s->inspect(id)["Name"].get<std::string>(), std::string("/lookup"));
        auto st = s->berth({"start", "-a", "lookup"});
        QCOMPARE(st.exitCode, 0);
    }

    // A berth-monitor works with the settings of the engine that started it, never with its
    // own reading of the environment: a seccomp profile named in the environment after the
    // engine was opened (a file that does not exist) does not reach the container's monitor,
    // which would refuse to start the container with it.
    void monitorTakesTheEnginesSettings() {
        auto engine = berth::openEngine({.root = s->root()});
        QVERIFY2(engine.has_value(), engine ? "" : engine.error().message().c_str());
        qputenv("BERTH_SECCOMP_PROFILE", "/nonexistent/berth-profile.json");
        auto restore = qScopeGuard([] { qunsetenv("BERTH_SECCOMP_PROFILE"); });
        berth::RunRequest request;
        request.image = "busybox";
        request.name = "settings";
        request.cmd = {"sh", "-c", "exit 3"};
        auto created = (*engine)->containers().create(request);
        QVERIFY2(created.has_value(), created ? "" : created.error().message().c_str());
        auto started = (*engine)->containers().start("settings");
        QVERIFY2(started.has_value(), started ? "" : started.error().message().c_str());
        auto code = (*engine)->containers().wait("settings");
        QVERIFY2(code.has_value(), code ? "" : code.error().message().c_str());
        QCOMPARE(*code, 3);
        // The exec helper too.
        request.name = "settings-exec";
        request.cmd = {"sleep", "300"};
        QVERIFY((*engine)->containers().create(request).has_value());
        QVERIFY((*engine)->containers().start("settings-exec").has_value());
        berth::ExecRequest exec;
        exec.cmd = {"sh", "-c", "exit 4"};
        auto execCode = (*engine)->containers().exec("settings-exec", exec, {});
        QVERIFY2(execCode.has_value(), execCode ? "" : execCode.error().message().c_str());
        QCOMPARE(*execCode, 4);
        QVERIFY((*engine)->containers().remove("settings-exec", true).has_value());
    }

    void badInputGivesClearErrors() {
        auto r = s->berth({"run", "--rm", "nosuchimage", "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("nosuchimage") != std::string::npos, r.err.c_str());

        r = s->berth({"run", "--name", "nocmd", "busybox", "/no/such/command"});
        QCOMPARE(r.exitCode, 127);
        QVERIFY2(!r.err.empty(), "no error message for a missing command");
        QCOMPARE(s->inspect("nocmd")["State"]["Running"].get<bool>(), false);
        QVERIFY(s->liveMonitors().empty());

        r = s->berth({"run", "--rm", "busybox", "/etc/passwd"});
        QCOMPARE(r.exitCode, 126);

        QCOMPARE(s->berth({"create", "--name", "twin", "busybox", "true"}).exitCode, 0);
        r = s->berth({"create", "--name", "twin", "busybox", "true"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("already in use") != std::string::npos, r.err.c_str());

        r = s->berth({"run", "--rm", "--memory", "lots", "busybox", "true"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY(r.err.find("lots") != std::string::npos);

        r = s->berth({"rmi", "busybox"});
        QVERIFY2(r.exitCode != 0, "rmi of an image used by a container was not refused");
        QVERIFY(s->berth({"images", "-q"}).out.size() > 0);
    }
};

BERTH_ROOT_TEST_MAIN(ContainersLifecycle)
#include "tst_containers_lifecycle.moc"
