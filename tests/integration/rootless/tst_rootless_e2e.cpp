// Rootless mode as an ordinary user would meet it: the store under $XDG_DATA_HOME (here
// $HOME/.local/share/berth), state under $XDG_RUNTIME_DIR/berth; an image loaded with its
// owners kept through the user's subordinate ids (and the same image pulled from a local
// registry as the user); a container whose uid 0 IS the user
// outside (its uid_map, its process, the files it writes); a published port answering on
// 127.0.0.1; a Dockerfile build (RUN, COPY with and without --chown, COPY --from a stage and an
// image keeping owners); ping inside a container; limit flags refused with the reason (this host has no
// delegated cgroup), and the same limits through a stand-in systemd user scope; ports below 1024 refused; stop and rm leaving no process of the user
// and no container state; and a user without ranges warned about the single-id map and
// still running containers.

#include "skip.h"
#include "fixtures.h"
#include "registry_fixture.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

using namespace berth::test;
namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

struct TestUser {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    uint32_t subStart = 0;  // 0: no ranges
    fs::path home, runtimeDir, bin;
};

// Every pid whose real uid is `uid` (read from /proc, no process-name matching).
std::vector<pid_t> processesOf(uid_t uid) {
    std::vector<pid_t> pids;
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::string n = e.path().filename();
        if (n.find_first_not_of("0123456789") != std::string::npos) continue;
        struct stat st{};
        if (::stat(e.path().c_str(), &st) == 0 && st.st_uid == uid) pids.push_back(pid_t(std::stoi(n)));
    }
    return pids;
}

std::string fetch(uint16_t port) {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return {};
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{5, 0};
    ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        std::string req = "GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n";
        if (::write(s, req.data(), req.size()) == ssize_t(req.size())) {
            char buf[4096];
            ssize_t n;
            while ((n = ::read(s, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
        }
    }
    ::close(s);
    return out;
}

bool portFree(uint16_t port) {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // SO_REUSEADDR: connections the server closed linger in TIME_WAIT after it is gone;
    // only a listener still there makes the bind fail.
    int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    bool ok = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

} // namespace

class RootlessE2E : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    TestUser m_user, m_plain;  // with ranges / without
    fs::path m_archive;
    std::vector<std::string> m_created;  // users to delete
    std::string m_tunMode;               // original mode of /dev/net/tun when we changed it
    std::unique_ptr<RegistryProcess> m_registry;  // holds the test image, pushed by root
    std::string m_registrySkip;                   // why there is no registry

    // The command line that runs `program` as `u` with a clean environment (plus `env`).
    std::vector<std::string> asArgv(const TestUser& u, const std::string& program, const std::vector<std::string>& env = {}) {
        std::vector<std::string> argv{"setpriv", "--reuid=" + std::to_string(u.uid), "--regid=" + std::to_string(u.gid),
                                      "--clear-groups", "env", "-i", "HOME=" + u.home.string(),
                                      "XDG_RUNTIME_DIR=" + u.runtimeDir.string(), "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                      "LANG=C.UTF-8"};
        argv.insert(argv.end(), env.begin(), env.end());
        argv.push_back(program);
        return argv;
    }

    CommandResult as(const TestUser& u, const std::vector<std::string>& args, int timeoutMs = 180000,
                     const std::vector<std::string>& env = {}) {
        auto argv = asArgv(u, (u.bin / "berth").string(), env);
        argv.insert(argv.end(), args.begin(), args.end());
        return runCommand(argv, timeoutMs);
    }

    bool makeUser(TestUser& u, const std::string& name, uint32_t subStart) {
        // A system account (-r) gets no subordinate ids from useradd: we decide below.
        auto r = runCommand({"useradd", "-r", "-M", "-U", "-s", "/usr/sbin/nologin", name});
        if (r.exitCode != 0) {
            qWarning("useradd %s: %s", name.c_str(), r.err.c_str());
            return false;
        }
        m_created.push_back(name);
        passwd* pw = ::getpwnam(name.c_str());
        if (!pw) return false;
        u.name = name;
        u.uid = pw->pw_uid;
        u.gid = pw->pw_gid;
        u.subStart = subStart;
        if (subStart) {
            std::string range = std::to_string(subStart) + "-" + std::to_string(subStart + 65535);
            auto m = runCommand({"usermod", "--add-subuids", range, "--add-subgids", range, name});
            if (m.exitCode != 0) {
                qWarning("usermod: %s", m.err.c_str());
                return false;
            }
        }
        fs::path base = m_tmp->path() / name;
        u.home = base / "home";
        u.runtimeDir = base / "run";
        u.bin = base / "bin";
        for (const auto& d : {base, u.home, u.runtimeDir, u.bin}) {
            fs::create_directories(d);
            ::chown(d.c_str(), u.uid, u.gid);
            ::chmod(d.c_str(), 0700);
        }
        // The build tree may not be readable by other users: copies the user owns.
        // berth-layer-helper: layer work in the user namespace (posix_spawn'ed beside berth).
        for (const char* prog : {"berth", "berth-monitor", "berth-layer-helper", "berth-scope"}) {
            fs::path src = builtProgram(prog);
            if (std::string(prog) != "berth" && !fs::exists(src)) src = builtProgram("berth").parent_path() / prog;
            fs::copy_file(src, u.bin / prog, fs::copy_options::overwrite_existing);
            ::chown((u.bin / prog).c_str(), u.uid, u.gid);
            ::chmod((u.bin / prog).c_str(), 0755);
        }
        return true;
    }

    fs::path storeOf(const TestUser& u) const { return u.home / ".local/share/berth"; }

    // A free range of 65536 ids: above every range already in /etc/subuid.
    uint32_t freeSubordinateStart() {
        uint64_t top = 1000000;
        for (const char* file : {"/etc/subuid", "/etc/subgid"}) {
            std::ifstream in(file);
            std::string line;
            while (std::getline(in, line)) {
                auto c1 = line.find(':'), c2 = line.rfind(':');
                if (c1 == std::string::npos || c2 == c1) continue;
                uint64_t start = std::stoull(line.substr(c1 + 1, c2 - c1 - 1));
                uint64_t count = std::stoull(line.substr(c2 + 1));
                top = std::max(top, start + count);
            }
        }
        return uint32_t(top + 65536);
    }

    std::string inspectField(const TestUser& u, const std::string& name, const char* a, const char* b) {
        auto r = as(u, {"inspect", name});
        auto j = nlohmann::json::parse(r.out, nullptr, false);
        if (j.is_discarded()) return {};
        if (j.is_array() && !j.empty()) j = j[0];
        if (!j.contains(a) || !j[a].contains(b)) return {};
        return j[a][b].dump();
    }

private slots:
    void initTestCase() {
        if (!haveBusybox()) BERTH_SKIP("busybox-static is not installed (/bin/busybox)", MissingProgram);
        for (const char* p : {"newuidmap", "newgidmap", "setpriv", "useradd", "usermod", "userdel"})
            if (!haveProgram(p)) BERTH_SKIP(QString("%1 is not installed (Debian: uidmap, util-linux, passwd)").arg(p), MissingProgram);
        m_tmp = std::make_unique<TempDir>();
        ::chmod(m_tmp->path().c_str(), 0755);  // the users must reach their directories inside
        std::string suffix = std::to_string(::getpid() % 100000);
        QVERIFY(makeUser(m_user, "berthrl" + suffix, freeSubordinateStart()));
        QVERIFY(makeUser(m_plain, "berthrs" + suffix, 0));

        // An image with a file owned by uid 1000 on top of busybox, to follow owners.
        auto busybox = writeBusyboxArchive(m_tmp->path() / "plain.tar");
        std::vector<TarEntry> extra{{TarEntry::Dir, "home", "", "", 0755},
                                    {TarEntry::File, "home/owned", "by 1000\n", "", 0640, 1000, 1000},
                                    {TarEntry::File, "rootfile", "root's\n", "", 0600, 0, 0}};
        m_archive = m_tmp->path() / "image.tar";
        ArchiveOptions opts;
        opts.tags = {"rlbox:latest"};
        writeDockerArchive(m_archive, {busybox.layerTars.at(0), makeTar(extra)}, opts);
        ::chmod(m_archive.c_str(), 0644);

        // The same image in a local docker-registry (pushed as root with skopeo), for a pull
        // as the user.
        if (!haveProgram("docker-registry") || !haveProgram("skopeo")) {
            m_registrySkip = "docker-registry or skopeo is not installed";
        } else {
            m_registry = std::make_unique<RegistryProcess>(m_tmp->path() / "registry");
            QVERIFY2(m_registry->ok(), m_registry->log().c_str());
            // A top layer of its own, so the pull extracts it (busybox's is already loaded).
            std::vector<TarEntry> pulled{{TarEntry::Dir, "home", "", "", 0755},
                                         {TarEntry::File, "home/pulled", "by 1000\n", "", 0604, 1000, 1000}};
            fs::path pulledArchive = m_tmp->path() / "pulled.tar";
            ArchiveOptions po;
            po.tags = {"rlpulled:latest"};
            writeDockerArchive(pulledArchive, {busybox.layerTars.at(0), makeTar(pulled)}, po);
            auto push = runCommand({"skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                                    "docker-archive:" + pulledArchive.string(), "docker://" + m_registry->host() + "/test/rlpulled:1"},
                                   180000);
            QVERIFY2(push.exitCode == 0, push.err.c_str());
        }

        // pasta and slirp4netns need /dev/net/tun; Debian makes it 0666, some hosts 0600.
        struct stat st{};
        if (::stat("/dev/net/tun", &st) == 0 && (st.st_mode & 0666) != 0666) {
            m_tunMode = std::to_string(st.st_mode & 07777);
            ::chmod("/dev/net/tun", 0666);
        }
    }

    void cleanupTestCase() {
        if (!m_tunMode.empty()) ::chmod("/dev/net/tun", mode_t(std::stoi(m_tunMode)));
        for (const auto& name : m_created) {
            if (passwd* pw = ::getpwnam(name.c_str())) {
                // Only processes of the accounts this test made: a leftover is a failure
                // reported by the tests below; here they are just not left running.
                for (pid_t p : processesOf(pw->pw_uid)) ::kill(p, SIGKILL);
            }
            runCommand({"userdel", name});
        }
        m_registry.reset();
        // Files of subordinate ids in the stores: root removes them.
        m_tmp.reset();
    }

    void infoNamesTheModeAndTheUsersDirectories() {
        auto r = as(m_user, {"info", "--format", "json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        auto j = nlohmann::json::parse(r.out, nullptr, false);
        QVERIFY2(!j.is_discarded(), r.out.c_str());
        QCOMPARE(j["Mode"].get<std::string>(), std::string("rootless"));
        QCOMPARE(j["Root"].get<std::string>(), storeOf(m_user).string());
        QCOMPARE(j["RunRoot"].get<std::string>(), (m_user.runtimeDir / "berth").string());
        QCOMPARE(j["SingleIdMapping"].get<bool>(), false);
        std::string expectMap = "0:" + std::to_string(m_user.uid) + ":1,1:" + std::to_string(m_user.subStart) + ":65536";
        QCOMPARE(j["IdMapping"].get<std::string>(), expectMap);
        bool sawLimits = false, sawPorts = false, sawPing = false;
        for (const auto& c : j["Capabilities"]) {
            std::string n = c["Name"].get<std::string>();
            sawLimits |= n == "resource limits";
            sawPorts |= n == "ports below 1024";
            sawPing |= n == "ping";
        }
        QVERIFY(sawLimits && sawPorts && sawPing);
        struct stat st{};
        QCOMPARE(::stat((m_user.runtimeDir / "berth").c_str(), &st), 0);
        QCOMPARE(st.st_uid, m_user.uid);
        QCOMPARE(st.st_mode & 0777, mode_t(0700));
    }

    void loadKeepsImageOwnersThroughTheMap() {
        auto r = as(m_user, {"load", "-i", m_archive.string()});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        // On the host: uid 0's files are the user's, uid 1000's are subordinate id 1000.
        bool foundOwned = false, foundRoot = false;
        for (const auto& e : fs::recursive_directory_iterator(storeOf(m_user) / "layers")) {
            struct stat st{};
            if (::lstat(e.path().c_str(), &st) != 0) continue;
            if (e.path().filename() == "owned" && e.path().parent_path().filename() == "home") {
                QCOMPARE(st.st_uid, uid_t(m_user.subStart + 999));
                QCOMPARE(st.st_gid, gid_t(m_user.subStart + 999));
                QCOMPARE(st.st_mode & 07777, mode_t(0640));
                foundOwned = true;
            }
            if (e.path().filename() == "rootfile") {
                QCOMPARE(st.st_uid, m_user.uid);
                QCOMPARE(st.st_mode & 07777, mode_t(0600));
                foundRoot = true;
            }
        }
        QVERIFY(foundOwned && foundRoot);
    }

    // A pull as the user (plain HTTP to the loopback registry) extracts in the user
    // namespace too: a container of the pulled image sees the image's owners.
    void pullAsTheUserKeepsImageOwners() {
        if (!m_registry) BERTH_SKIP(m_registrySkip.c_str(), MissingProgram);
        std::string ref = m_registry->host() + "/test/rlpulled:1";
        auto p = as(m_user, {"pull", ref});
        QVERIFY2(p.exitCode == 0, (p.out + p.err).c_str());
        auto r = as(m_user, {"run", "--rm", ref, "sh", "-c", "stat -c '%u:%g %a' /home/pulled /bin/busybox"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(trimmed(r.out), std::string("1000:1000 604\n0:0 755"));
    }

    void containerSeesTheImagesOwnersAndRootIsTheUser() {
        auto r = as(m_user, {"run", "--rm", "rlbox", "sh", "-c",
                             "id -u; stat -c '%u:%g %a' /home/owned /rootfile; cat /proc/self/uid_map"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        std::istringstream in(r.out);
        std::string line;
        std::getline(in, line);
        QCOMPARE(trimmed(line), std::string("0"));
        std::getline(in, line);
        QCOMPARE(trimmed(line), std::string("1000:1000 640"));
        std::getline(in, line);
        QCOMPARE(trimmed(line), std::string("0:0 600"));
        std::vector<std::vector<long>> map;
        while (std::getline(in, line)) {
            std::istringstream f(line);
            long a, b, c;
            if (f >> a >> b >> c) map.push_back({a, b, c});
        }
        QCOMPARE(map.size(), size_t(2));
        QCOMPARE(map[0], (std::vector<long>{0, long(m_user.uid), 1}));
        QCOMPARE(map[1], (std::vector<long>{1, long(m_user.subStart), 65536}));
    }

    // The Docker API as the user: `berth system service` listens on
    // $XDG_RUNTIME_DIR/berth/docker.sock (the user's, 0600), and Debian's docker client runs a
    // container of the user's store through it: root inside is the user outside, the output
    // and exit code come back, ps and info see the same store, and nothing is left behind.
    void dockerApiAsTheUser() {
        if (!haveProgram("docker")) BERTH_SKIP("the docker client is not installed (Debian: docker.io)", MissingProgram);
        fs::path sock = m_user.runtimeDir / "berth" / "docker.sock";
        QProcess service;
        auto argv = asArgv(m_user, (m_user.bin / "berth").string());
        argv.insert(argv.end(), {"system", "service", "--time", "0"});
        QStringList args;
        for (size_t i = 1; i < argv.size(); ++i) args << QString::fromStdString(argv[i]);
        service.setProcessChannelMode(QProcess::ForwardedChannels);
        service.start(QString::fromStdString(argv[0]), args);
        QVERIFY(service.waitForStarted(10000));
        auto stop = qScopeGuard([&] {
            service.terminate();
            if (!service.waitForFinished(10000)) {
                service.kill();
                service.waitForFinished(5000);
            }
        });
        for (int i = 0; i < 200 && !fs::exists(sock) && service.state() == QProcess::Running; ++i)  // bounded, not timed
            QTest::qWait(50);
        struct stat st{};
        QVERIFY2(::stat(sock.c_str(), &st) == 0, sock.c_str());
        QVERIFY(S_ISSOCK(st.st_mode));
        QCOMPARE(st.st_uid, m_user.uid);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        auto docker = [&](const std::vector<std::string>& dockerArgs) {
            auto cmd = asArgv(m_user, "docker", {"DOCKER_HOST=unix://" + sock.string()});
            cmd.insert(cmd.end(), dockerArgs.begin(), dockerArgs.end());
            return runCommand(cmd, 180000);
        };
        auto r = docker({"version", "--format", "{{.Server.APIVersion}}"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(trimmed(r.out), std::string("1.44"));
        r = docker({"info", "--format", "{{json .SecurityOptions}}"});
        QVERIFY2(r.exitCode == 0 && r.out.find("name=rootless") != std::string::npos, (r.out + r.err).c_str());
        r = docker({"run", "--rm", "--name", "apirun", "rlbox", "sh", "-c", "id -u; stat -c %u:%g /home/owned; exit 3"});
        QVERIFY2(r.exitCode == 3, (r.out + r.err).c_str());
        QCOMPARE(trimmed(r.out), std::string("0\n1000:1000"));
        r = docker({"run", "-d", "--name", "apisleeper", "rlbox", "sleep", "300"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        // The same store: berth's own CLI, as the user, sees the API's container.
        auto ps = as(m_user, {"ps", "--format", "{{.Names}}"});
        QVERIFY2(ps.out.find("apisleeper") != std::string::npos, (ps.out + ps.err).c_str());
        QCOMPARE(docker({"rm", "-f", "apisleeper"}).exitCode, 0);
        r = docker({"ps", "-a", "--format", "{{.Names}}"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(r.out.find("apisleeper") == std::string::npos && r.out.find("apirun") == std::string::npos, r.out.c_str());
    }

    void runningContainerIsTheUsersOnTheHostAndLeavesNothing() {
        auto r = as(m_user, {"run", "-d", "--name", "sleeper", "rlbox", "sh", "-c", "echo hi > /written; exec sleep 300"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        std::string id = trimmed(r.out);
        std::string pidText = inspectField(m_user, "sleeper", "State", "Pid");
        int pid = pidText.empty() ? 0 : std::stoi(pidText);
        QVERIFY2(pid > 0, pidText.c_str());
        // The init, seen from the host: the user's uid, in a user namespace mapping 0 to it.
        struct stat st{};
        QCOMPARE(::stat(("/proc/" + std::to_string(pid)).c_str(), &st), 0);
        QCOMPARE(st.st_uid, m_user.uid);
        std::ifstream mapFile("/proc/" + std::to_string(pid) + "/uid_map");
        long in0 = -1, out0 = -1, n0 = -1;
        mapFile >> in0 >> out0 >> n0;
        QCOMPARE(in0, 0L);
        QCOMPARE(out0, long(m_user.uid));
        // What container root wrote is the user's file in the container's upper layer.
        fs::path written = storeOf(m_user) / "containers" / id / "upper" / "written";
        for (int i = 0; i < 100 && !fs::exists(written); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QCOMPARE(::stat(written.c_str(), &st), 0);
        QCOMPARE(st.st_uid, m_user.uid);
        QCOMPARE(st.st_gid, m_user.gid);

        // exec joins the container's user namespace: root inside again.
        auto ex = as(m_user, {"exec", "sleeper", "id", "-u"});
        QVERIFY2(ex.exitCode == 0, (ex.out + ex.err).c_str());
        QCOMPARE(trimmed(ex.out), std::string("0"));

        QCOMPARE(as(m_user, {"stop", "-t", "1", "sleeper"}).exitCode, 0);
        auto rm = as(m_user, {"rm", "sleeper"});
        QVERIFY2(rm.exitCode == 0, rm.err.c_str());
        QVERIFY(!fs::exists(storeOf(m_user) / "containers" / id));
        // No process of the user remains (the monitor, the init, pasta: all gone).
        std::vector<pid_t> left;
        for (int i = 0; i < 50; ++i) {
            left = processesOf(m_user.uid);
            if (left.empty()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        QVERIFY2(left.empty(), qPrintable(QString("%1 process(es) of the user left, first pid %2")
                                              .arg(left.size()).arg(left.empty() ? 0 : left[0])));
        // And no mount of the store on the host.
        std::ifstream mounts("/proc/self/mountinfo");
        std::string all((std::istreambuf_iterator<char>(mounts)), {});
        QVERIFY(all.find(storeOf(m_user).string()) == std::string::npos);
    }

    void limitFlagsAreRefusedWithTheReason() {
        auto r = as(m_user, {"run", "--rm", "--memory", "64m", "--pids-limit", "20", "rlbox", "true"});
        QVERIFY2(r.exitCode != 0, "a memory limit was accepted where no cgroup is delegated");
        QVERIFY2(r.err.find("--memory") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("--pids-limit") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("rootless") != std::string::npos, r.err.c_str());
        // Nothing was created.
        auto ps = as(m_user, {"ps", "-a", "-q"});
        QCOMPARE(trimmed(ps.out), std::string());
    }

    void publishedPortAnswersOnLoopback() {
        auto info = as(m_user, {"info", "--format", "json"});
        auto j = nlohmann::json::parse(info.out, nullptr, false);
        QVERIFY(!j.is_discarded());
        if (j["Network"].get<std::string>().empty()) BERTH_SKIP("neither pasta nor slirp4netns is installed", MissingProgram);
        std::mt19937 rng(std::random_device{}());
        uint16_t port = 0;
        for (int i = 0; i < 50 && !port; ++i) {
            uint16_t p = uint16_t(20000 + rng() % 20000);
            if (portFree(p)) port = p;
        }
        QVERIFY(port);
        auto r = as(m_user, {"run", "-d", "--name", "web", "-p", std::to_string(port) + ":80", "rlbox",
                             "httpd", "-f", "-p", "80", "-h", "/var/www"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        std::string body;
        for (int i = 0; i < 50; ++i) {
            body = fetch(port);
            if (body.find("Hello from Berth") != std::string::npos) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        QVERIFY2(body.find("Hello from Berth") != std::string::npos, body.c_str());
        QCOMPARE(as(m_user, {"rm", "-f", "web"}).exitCode, 0);
        // The listener went with the container.
        bool freed = false;
        for (int i = 0; i < 50 && !freed; ++i) {
            freed = portFree(port);
            if (!freed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        QVERIFY2(freed, "the published port is still bound after rm");
    }

    void portBelowUnprivilegedStartIsRefused() {
        std::ifstream f("/proc/sys/net/ipv4/ip_unprivileged_port_start");
        int start = 1024;
        f >> start;
        if (start <= 80) BERTH_SKIP("net.ipv4.ip_unprivileged_port_start allows port 80 here", HostSetup);
        auto r = as(m_user, {"run", "--rm", "-p", "80:80", "rlbox", "true"});
        QVERIFY2(r.exitCode != 0, "port 80 was published by a non-root user");
        QVERIFY2(r.err.find("ip_unprivileged_port_start") != std::string::npos, r.err.c_str());
    }

    void buildsADockerfile() {
        fs::path ctx = m_user.home / "ctx";
        fs::create_directories(ctx);
        writeFile(ctx / "Dockerfile", "FROM rlbox\nRUN echo built > /built && touch /byuser && chown 1000:1000 /byuser\n");
        runCommand({"chown", "-R", std::to_string(m_user.uid) + ":" + std::to_string(m_user.gid), ctx.string()});
        auto b = as(m_user, {"build", "-t", "rlbuilt", ctx.string()});
        QVERIFY2(b.exitCode == 0, (b.out + b.err).c_str());
        auto r = as(m_user, {"run", "--rm", "rlbuilt", "sh", "-c", "cat /built; stat -c %u /built /byuser"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(trimmed(r.out), std::string("built\n0\n1000"));
    }

    // COPY runs in the user-namespace helper: context files (the user's on the host) are
    // 0:0 in the image, --chown=1000:1000 ones are 1000:1000 (subordinate id 1000 on the host).
    void buildCopiesContextFilesWithImageOwners() {
        fs::path ctx = m_user.home / "copyctx";
        fs::create_directories(ctx / "dir");
        writeFile(ctx / "Dockerfile", "FROM rlbox\nCOPY plain.txt /copied/plain.txt\n"
                                      "COPY --chown=1000:1000 owned.txt /copied/owned.txt\n"
                                      "COPY --chown=1000:1000 dir/ /copied/dir/\n");
        writeFile(ctx / "plain.txt", "plain\n");
        writeFile(ctx / "owned.txt", "owned\n");
        writeFile(ctx / "dir" / "inner", "inner\n");
        runCommand({"chown", "-R", std::to_string(m_user.uid) + ":" + std::to_string(m_user.gid), ctx.string()});
        auto b = as(m_user, {"build", "-t", "rlcopy", ctx.string()});
        QVERIFY2(b.exitCode == 0, (b.out + b.err).c_str());
        auto r = as(m_user, {"run", "--rm", "rlcopy", "sh", "-c",
                             "cat /copied/plain.txt /copied/dir/inner; "
                             "stat -c '%u:%g %n' /copied/plain.txt /copied/owned.txt /copied/dir/inner"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(trimmed(r.out), std::string("plain\ninner\n0:0 /copied/plain.txt\n1000:1000 /copied/owned.txt\n"
                                             "1000:1000 /copied/dir/inner"));
    }

    // COPY --from runs in the user-namespace helper too (the source stage's view is mounted
    // there): owners are kept between stages, as BuildKit and buildah keep them, through
    // the map (uid 1000 in the image is subordinate id 1000 on disk); --chown still wins.
    void buildCopiesFromAStageAndAnImageKeepingOwners() {
        fs::path ctx = m_user.home / "fromctx";
        fs::create_directories(ctx);
        writeFile(ctx / "Dockerfile",
                  "FROM rlbox AS src\n"
                  "RUN mkdir -p /out/sub && echo art > /out/art && echo deep > /out/sub/deep && "
                  "chown 1000:1000 /out/art && chown 1001:1002 /out/sub/deep && chmod 0600 /out/sub/deep\n"
                  "FROM rlbox\n"
                  "COPY --from=src /out/ /copied/\n"
                  "COPY --from=src /out/a* /globbed/\n"
                  "COPY --from=rlbox /home/owned /fromimage-owned\n"
                  "COPY --from=src --chown=1003:1003 /out/art /chowned\n");
        runCommand({"chown", "-R", std::to_string(m_user.uid) + ":" + std::to_string(m_user.gid), ctx.string()});
        auto b = as(m_user, {"build", "-t", "rlfrom", ctx.string()});
        QVERIFY2(b.exitCode == 0, (b.out + b.err).c_str());
        auto r = as(m_user, {"run", "--rm", "rlfrom", "sh", "-c",
                             "cat /copied/art /copied/sub/deep; "
                             "stat -c '%u:%g %a %n' /copied/art /copied/sub/deep /globbed/art /fromimage-owned /chowned"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(trimmed(r.out), std::string("art\ndeep\n"
                                             "1000:1000 644 /copied/art\n"
                                             "1001:1002 600 /copied/sub/deep\n"
                                             "1000:1000 644 /globbed/art\n"
                                             "1000:1000 640 /fromimage-owned\n"
                                             "1003:1003 644 /chowned"));
        // On the host, in the COPY layer: the subordinate ids of those owners.
        bool found = false;
        for (const auto& e : fs::recursive_directory_iterator(storeOf(m_user) / "layers")) {
            if (e.path().filename() != "deep" || e.path().parent_path().filename() != "sub" ||
                e.path().parent_path().parent_path().filename() != "copied")
                continue;
            struct stat st{};
            QCOMPARE(::lstat(e.path().c_str(), &st), 0);
            QCOMPARE(st.st_uid, uid_t(m_user.subStart + 1000));
            QCOMPARE(st.st_gid, gid_t(m_user.subStart + 1001));
            found = true;
        }
        QVERIFY2(found, "no extracted copied/sub/deep in the user's layers");
        // The same build again comes from the cache (the key of a rootless --from step
        // names its patterns and the source stage).
        auto again = as(m_user, {"build", "-t", "rlfrom2", ctx.string()});
        QVERIFY2(again.exitCode == 0, (again.out + again.err).c_str());
        auto imageId = [&](const std::string& ref) {
            auto j = nlohmann::json::parse(as(m_user, {"image", "inspect", ref}).out, nullptr, false);
            if (j.is_array() && !j.empty()) j = j[0];
            return j.is_object() && j.contains("Id") ? j["Id"].get<std::string>() : std::string("(none for " + ref + ")");
        };
        QCOMPARE(imageId("rlfrom2"), imageId("rlfrom"));
        QVERIFY2((again.out + again.err).find("CACHED") != std::string::npos, (again.out + again.err).c_str());
    }

    // ping in a rootless container: the container's own network namespace (its root owns
    // it, CAP_NET_RAW included) pings its loopback. Where it fails, `berth info` must say
    // why (net.ipv4.ping_group_range) and the test skips with exactly that text.
    void pingWorksInsideOrInfoSaysWhyNot() {
        auto r = as(m_user, {"run", "--rm", "rlbox", "ping", "-c", "1", "-W", "5", "127.0.0.1"});
        if (r.exitCode == 0) {
            QVERIFY2(r.out.find("1 packets received") != std::string::npos, r.out.c_str());
            return;
        }
        auto info = as(m_user, {"info", "--format", "json"});
        auto j = nlohmann::json::parse(info.out, nullptr, false);
        QVERIFY2(!j.is_discarded(), info.out.c_str());
        for (const auto& c : j["Capabilities"]) {
            if (c["Name"].get<std::string>() != "ping") continue;
            QVERIFY2(!c["Available"].get<bool>(),
                     qPrintable(QString::fromStdString("berth info says ping works, but it failed: " + r.out + r.err)));
            BERTH_SKIP(QString::fromStdString(c["Detail"].get<std::string>()), HostSetup);
        }
        QFAIL("berth info has no ping capability");
    }

    // Limits through a delegated systemd user scope, end to end through berth run / rm as
    // the user, against a STAND-IN systemd (this machine has none): the user's own
    // dbus-daemon with berth_fake_systemd_user on it, a temporary directory as the cgroup
    // v2 root (BERTH_CGROUP_ROOT, BERTH_CGROUP_VERSION=2). The stand-in moves no process,
    // so the kernel enforces nothing here: what is checked is the wiring: the call the
    // monitor makes (unit, the container's init pid, Delegate=true), the limit files in the
    // scope's directory, StopUnit at rm.
    void limitsGoThroughADelegatedSystemdScope() {
        if (!haveProgram("dbus-daemon")) BERTH_SKIP("dbus-daemon is not installed (Debian package dbus-daemon)", MissingProgram);
        fs::path fake = fs::path(std::getenv("BERTH_BUILD_DIR") ? std::getenv("BERTH_BUILD_DIR") : "") /
                        "tests/unit/rootless/berth_fake_systemd_user";
        if (!fs::exists(fake)) BERTH_SKIP("berth_fake_systemd_user is not built", NotBuilt);
        fs::path base = m_user.home / "scope";
        fs::path root = base / "cgroup";
        std::string manager = fmt::format("/user.slice/user-{}.slice/user@{}.service", m_user.uid, m_user.uid);
        fs::create_directories(root / fs::path(manager).relative_path());
        writeFile(root / "cgroup.controllers", "cpuset cpu io memory pids\n");
        writeFile(root / fs::path(manager).relative_path() / "cgroup.controllers", "memory pids cpu\n");
        fs::copy_file(fake, m_user.bin / "berth_fake_systemd_user", fs::copy_options::overwrite_existing);
        runCommand({"chown", "-R", std::to_string(m_user.uid) + ":" + std::to_string(m_user.gid), base.string(),
                    (m_user.bin / "berth_fake_systemd_user").string()});
        std::string address = "unix:path=" + (base / "bus").string();
        fs::path log = base / "calls.log";

        auto start = [&](QProcess& p, const std::vector<std::string>& argv) {
            QStringList args;
            for (size_t i = 1; i < argv.size(); ++i) args << QString::fromStdString(argv[i]);
            p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            p.start(QString::fromStdString(argv[0]), args);
            return p.waitForStarted(10000) && p.waitForReadyRead(10000);
        };
        QProcess bus, systemd;
        auto stopAll = [&] {
            for (QProcess* p : {&systemd, &bus}) {
                if (p->state() == QProcess::NotRunning) continue;
                p->terminate();
                if (!p->waitForFinished(5000)) {
                    p->kill();
                    p->waitForFinished(5000);
                }
            }
        };
        auto dbusArgv = asArgv(m_user, "dbus-daemon");
        dbusArgv.insert(dbusArgv.end(), {"--session", "--nofork", "--print-address=1", "--address=" + address});
        QVERIFY2(start(bus, dbusArgv), "the user's dbus-daemon did not start");
        QVERIFY(bus.readLine().trimmed().toStdString().find(address) == 0);
        auto fakeArgv = asArgv(m_user, (m_user.bin / "berth_fake_systemd_user").string(),
                               {"DBUS_SESSION_BUS_ADDRESS=" + address});
        fakeArgv.insert(fakeArgv.end(), {root.string(), manager, log.string()});
        if (!start(systemd, fakeArgv) || systemd.readLine().trimmed() != "ready") {
            stopAll();
            QFAIL("the stand-in systemd did not get its name");
        }
        std::vector<std::string> env{"DBUS_SESSION_BUS_ADDRESS=" + address, "BERTH_CGROUP_ROOT=" + root.string(),
                                     "BERTH_CGROUP_VERSION=2"};

        auto info = as(m_user, {"info", "--format", "json"}, 180000, env);
        auto run = as(m_user, {"run", "-d", "--name", "limited", "--memory", "64m", "--pids-limit", "50", "--cpus", "0.5",
                               "rlbox", "sleep", "300"},
                      180000, env);
        std::string id = trimmed(run.out);
        std::string pidText = run.exitCode == 0 ? inspectField(m_user, "limited", "State", "Pid") : "";
        auto calls = [&] {
            std::ifstream in(log);
            std::vector<std::string> out;
            for (std::string l; std::getline(in, l);) out.push_back(l);
            return out;
        };
        auto started = calls();
        fs::path scope = root / fs::path(manager).relative_path() / "app.slice" / ("berth-" + id + ".scope");
        std::string memoryMax = trimmed(readFileText(scope / "memory.max"));
        std::string pidsMax = trimmed(readFileText(scope / "pids.max"));
        std::string cpuMax = trimmed(readFileText(scope / "cpu.max"));
        auto rm = as(m_user, {"rm", "-f", "limited"}, 180000, env);
        // The monitor stops the scope as it ends, which may be just after rm returns.
        auto ended = calls();
        for (int i = 0; i < 100 && (ended.empty() || ended.back().rfind("StopUnit", 0) != 0); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            ended = calls();
        }
        bool scopeLeft = fs::exists(scope);
        stopAll();

        QVERIFY2(info.out.find("systemd user scope") != std::string::npos, info.out.c_str());
        QVERIFY2(run.exitCode == 0, (run.out + run.err).c_str());
        QVERIFY2(!pidText.empty() && pidText != "0", pidText.c_str());
        QCOMPARE(started.size(), size_t(1));
        QCOMPARE(started[0], fmt::format("StartTransientUnit unit=berth-{}.scope mode=fail pids={} delegate=true "
                                         "collect=inactive-or-failed description=berth container {}",
                                         id, pidText, id));
        QCOMPARE(memoryMax, std::string("67108864"));
        QCOMPARE(pidsMax, std::string("50"));
        QCOMPARE(cpuMax, std::string("50000 100000"));
        QVERIFY2(rm.exitCode == 0, rm.err.c_str());
        QVERIFY2(ended.size() >= 2, "no StopUnit after rm");
        QCOMPARE(ended.back(), fmt::format("StopUnit unit=berth-{}.scope mode=replace", id));
        QVERIFY(!scopeLeft);
    }

    void userWithoutRangesIsWarnedAndStillRuns() {
        auto load = as(m_plain, {"load", "-i", m_archive.string()});
        QVERIFY2(load.exitCode == 0, (load.out + load.err).c_str());
        QVERIFY2(load.err.find("single-id") != std::string::npos, load.err.c_str());
        auto r = as(m_plain, {"run", "--rm", "rlbox", "sh", "-c", "id -u; stat -c %u /home/owned; cat /proc/self/uid_map"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(r.err.find("single-id") != std::string::npos, r.err.c_str());
        std::istringstream in(r.out);
        std::string id, owner, map;
        std::getline(in, id);
        std::getline(in, owner);
        std::getline(in, map);
        QCOMPARE(trimmed(id), std::string("0"));
        QCOMPARE(trimmed(owner), std::string("0"));  // uid 1000 does not exist in a single-id map
        std::istringstream m(map);
        long a = -1, b = -1, c = -1;
        m >> a >> b >> c;
        QCOMPARE(a, 0L);
        QCOMPARE(b, long(m_plain.uid));
        QCOMPARE(c, 1L);
        QVERIFY(in.peek() == EOF || trimmed(std::string(std::istreambuf_iterator<char>(in), {})).empty());
    }
};

BERTH_ROOT_TEST_MAIN(RootlessE2E)
#include "tst_rootless_e2e.moc"
