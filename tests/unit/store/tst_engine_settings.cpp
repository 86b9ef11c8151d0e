// resolveEngineSettings(): the engine's one reader of its environment. Every variable it reads
// is in the documented table (settingVariables()), and each keeps the meaning it had when the
// layers read it themselves.
#include "sys/engine_settings.h"

#include "test_support.h"

#include <unistd.h>

#include <QtTest/QtTest>

#include <map>
#include <set>
#include <string>

using namespace berth;

namespace {

// A fake environment that also records what was asked of it.
struct FakeEnv {
    std::map<std::string, std::string> vars;
    std::set<std::string> asked;
    Environment reader() {
        return [this](const char* name) -> const char* {
            asked.insert(name);
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    }
};

EngineSettings resolve(FakeEnv& env, SettingsRequest request = {}) { return resolveEngineSettings(request, env.reader()); }

} // namespace

class TestEngineSettings : public QObject {
    Q_OBJECT

private slots:
    void theTableNamesEveryVariableRead() {
        FakeEnv env;
        (void)resolve(env);
        std::set<std::string> table;
        for (const auto& v : settingVariables()) {
            QVERIFY2(!v.meaning.empty(), std::string(v.name).c_str());
            QVERIFY2(table.insert(std::string(v.name)).second, "a variable is in the table twice");
        }
        for (const auto& name : env.asked) QVERIFY2(table.count(name), ("read but not in the table: " + name).c_str());
        for (const auto& name : table) QVERIFY2(env.asked.count(name), ("in the table but never read: " + name).c_str());
    }

    void modeFollowsBerthRootless() {
        FakeEnv env;
        QCOMPARE(resolve(env).rootless(), ::geteuid() != 0);
        env.vars["BERTH_ROOTLESS"] = "1";
        QVERIFY(resolve(env).rootless());
        env.vars["BERTH_ROOTLESS"] = "0";
        QVERIFY(!resolve(env).rootless());
        env.vars["BERTH_ROOTLESS"] = "";  // empty is unset
        QCOMPARE(resolve(env).rootless(), ::geteuid() != 0);
    }

    void storeFromBerthRootAndRunRoot() {
        FakeEnv env;
        env.vars["BERTH_ROOT"] = "/srv/store";
        auto s = resolve(env);
        QCOMPARE(s.store.root.string(), std::string("/srv/store"));
        QCOMPARE(s.store.runRoot.string(), std::string("/srv/store/run"));  // beside an explicit store
        env.vars["BERTH_RUNROOT"] = "/run/elsewhere";
        QCOMPARE(resolve(env).store.runRoot.string(), std::string("/run/elsewhere"));
        // The request (--root, EngineOptions) wins over the variable.
        s = resolve(env, {.root = "/a", .runRoot = "/b"});
        QCOMPARE(s.store.root.string(), std::string("/a"));
        QCOMPARE(s.store.runRoot.string(), std::string("/b"));
    }

    // The defaults of the user running the test (CI runs as root; a developer may not).
    void defaultStoreOfThisUser() {
        FakeEnv env;
        env.vars = {{"HOME", "/home/u"}, {"XDG_RUNTIME_DIR", "/run/user/7"}};
        auto s = resolve(env);
        if (::geteuid() == 0) {
            QCOMPARE(s.store.root.string(), std::string("/var/lib/berth"));
            QCOMPARE(s.store.runRoot.string(), std::string("/run/berth"));
            QCOMPARE(resolve(env, {.root = "/x"}).store.runRoot.string(), std::string("/x/run"));
            return;
        }
        QCOMPARE(s.store.root.string(), std::string("/home/u/.local/share/berth"));
        QCOMPARE(s.store.runRoot.string(), std::string("/run/user/7/berth"));
        env.vars["XDG_DATA_HOME"] = "/data";
        QCOMPARE(resolve(env).store.root.string(), std::string("/data/berth"));
    }

    void layerSettings() {
        FakeEnv env;
        auto d = resolve(env);
        QCOMPARE(d.cgroup.version, std::string());
        QCOMPARE(d.cgroup.root.string(), std::string("/sys/fs/cgroup"));
        QVERIFY(d.runtime.overlay == OverlayDriver::Kernel);
        QVERIFY(d.runtime.mountSetattr);
        QVERIFY(d.helpers.monitor.empty());
        env.vars = {{"BERTH_CGROUP_VERSION", "1"},     {"BERTH_CGROUP_ROOT", "/cg"},
                    {"BERTH_CGROUP_PARENT", "a.slice"}, {"BERTH_OVERLAY", "fuse"},
                    {"BERTH_NO_MOUNT_SETATTR", "1"},    {"BERTH_ROOTLESS_NETWORK", "slirp4netns"},
                    {"BERTH_SECCOMP_PROFILE", "/p.json"}, {"BERTH_MONITOR", "/m"},
                    {"BERTH_LAYER_HELPER", "/l"},       {"BERTH_SCOPE_HELPER", "/s"},
                    {"BERTH_PROGRAM", "/b"}};
        auto s = resolve(env);
        QCOMPARE(s.cgroup.version, std::string("1"));
        QCOMPARE(s.cgroup.root.string(), std::string("/cg"));
        QCOMPARE(s.cgroup.parent.string(), std::string("a.slice"));
        QVERIFY(s.runtime.overlay == OverlayDriver::Fuse);
        QVERIFY(!s.runtime.mountSetattr);
        QCOMPARE(s.runtime.rootlessNetwork, std::string("slirp4netns"));
        QCOMPARE(s.runtime.seccompProfile.string(), std::string("/p.json"));
        QCOMPARE(s.helpers.monitor.string(), std::string("/m"));
        QCOMPARE(s.helpers.layerHelper.string(), std::string("/l"));
        QCOMPARE(s.helpers.scope.string(), std::string("/s"));
        QCOMPARE(s.helpers.berth.string(), std::string("/b"));
        env.vars["BERTH_OVERLAY"] = "kernel";  // only "fuse" chooses fuse-overlayfs
        QVERIFY(resolve(env).runtime.overlay == OverlayDriver::Kernel);
    }

    void configLocations() {
        FakeEnv env;
        env.vars = {{"HOME", "/home/u"}};
        auto s = resolve(env);
        QCOMPARE(s.config.configHome.string(), std::string("/home/u/.config"));
        QCOMPARE(s.config.dockerConfig.string(), std::string("/home/u/.docker"));
        env.vars = {{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/cfg"}, {"DOCKER_CONFIG", "/dc"},
                    {"BERTH_CERTS_DIR", "/certs"}, {"BERTH_REGISTRIES_CONFIG", "/r.json"}};
        s = resolve(env);
        QCOMPARE(s.config.configHome.string(), std::string("/cfg"));
        QCOMPARE(s.config.dockerConfig.string(), std::string("/dc"));
        QCOMPARE(s.config.certsDir.string(), std::string("/certs"));
        QCOMPARE(s.config.registriesConfig.string(), std::string("/r.json"));
        env.vars.clear();
        QCOMPARE(resolve(env).config.dockerConfig.string(), std::string("/root/.docker"));
        QVERIFY(resolve(env).config.configHome.empty());
    }
};

BERTH_GUILESS_TEST_MAIN(TestEngineSettings)
#include "tst_engine_settings.moc"
