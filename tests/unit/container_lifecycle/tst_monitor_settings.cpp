// The engine's settings as handed to a berth-monitor (container/monitor_settings.h): every
// field survives the trip over the sync socket, and a payload that is not the engine's
// settings is a clear error, not a monitor running with defaults.
#include "skip.h"
#include "container/monitor_protocol.h"
#include "container/monitor_settings.h"

#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <QtTest/QtTest>

#include <string>

using namespace berth;
using namespace berth::container;

namespace {

// Every field set, none to its default.
EngineSettings unusual() {
    EngineSettings s;
    s.mode = EngineMode::Rootless;
    s.store = {"/srv/store", "/run/user/7/berth"};
    s.cgroup = {"2", "/tmp/cg", "/sys/fs/cgroup/user.slice/x"};
    s.runtime.overlay = OverlayDriver::Fuse;
    s.runtime.mountSetattr = false;
    s.runtime.rootlessNetwork = "slirp4netns";
    s.runtime.seccompProfile = "/etc/berth/profile.json";
    s.helpers = {"/opt/berth/berth-monitor", "/opt/berth/layer", "/opt/berth/scope", "/opt/berth/berth"};
    s.config = {"/home/u/.config", "/home/u/.docker", "/etc/certs", "/etc/registries.json"};
    return s;
}

} // namespace

class TestMonitorSettings : public QObject {
    Q_OBJECT

private slots:
    void everyFieldSurvivesTheSocket() {
        int sv[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        const auto sent = unusual();
        QVERIFY(sendSettings(sv[0], sent).has_value());
        auto got = receiveSettings(sv[1]);
        ::close(sv[0]);
        ::close(sv[1]);
        QVERIFY2(got.has_value(), got ? "" : got.error().message().c_str());
        QCOMPARE(encodeSettings(*got), encodeSettings(sent));
        QVERIFY(got->rootless());
        QCOMPARE(got->store.runRoot.string(), std::string("/run/user/7/berth"));
        QCOMPARE(got->cgroup.parent.string(), std::string("/sys/fs/cgroup/user.slice/x"));
        QCOMPARE(got->runtime.overlay, OverlayDriver::Fuse);
        QVERIFY(!got->runtime.mountSetattr);
        QCOMPARE(got->runtime.seccompProfile.string(), std::string("/etc/berth/profile.json"));
        QCOMPARE(got->helpers.berth.string(), std::string("/opt/berth/berth"));
        QCOMPARE(got->config.registriesConfig.string(), std::string("/etc/registries.json"));
        // And the defaults too (root mode, kernel overlay, mount_setattr on).
        EngineSettings plain;
        plain.store = {"/var/lib/berth", "/run/berth"};
        auto back = decodeSettings(encodeSettings(plain));
        QVERIFY(back.has_value());
        QCOMPARE(encodeSettings(*back), encodeSettings(plain));
        QVERIFY(!back->rootless() && back->runtime.mountSetattr);
    }

    void anythingElseIsAClearError() {
        QVERIFY(!decodeSettings("not json"));
        QVERIFY(!decodeSettings("[]"));
        auto missing = decodeSettings(R"({"engine":{"mode":"root"}})");
        QVERIFY(!missing);
        QVERIFY(missing.error().message().find("`store.root` is missing") != std::string::npos);
        auto j = nlohmann::json::parse(encodeSettings(unusual()));
        j["runtime"]["mountSetattr"] = "yes";
        auto typed = decodeSettings(j.dump());
        QVERIFY(!typed);
        QVERIFY(typed.error().message().find("runtime.mountSetattr") != std::string::npos);
        j = nlohmann::json::parse(encodeSettings(unusual()));
        j["engine"]["mode"] = "sideways";
        QVERIFY(!decodeSettings(j.dump()));
        j = nlohmann::json::parse(encodeSettings(unusual()));
        j["store"]["root"] = "relative/store";
        QVERIFY(!decodeSettings(j.dump()));

        // A monitor whose first message is something else refuses to run.
        int sv[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        QVERIFY(protocol::send(sv[0], protocol::Msg::Resize, "24 80").has_value());
        auto wrong = receiveSettings(sv[1]);
        ::close(sv[0]);
        ::close(sv[1]);
        QVERIFY(!wrong);
        QVERIFY(wrong.error().message().find("not the engine's settings") != std::string::npos);
    }
};

BERTH_APPLESS_TEST_MAIN(TestMonitorSettings)
#include "tst_monitor_settings.moc"
