// The volume service against a temporary store: atomic create and names, list, inspect,
// in-use refusal through the users lookup, docker 23+ prune semantics (anonymous only
// unless all), events.
#include "skip.h"
#include "store/events.h"
#include "store/layout.h"
#include "volume/volume_service.h"

#include "test_support.h"

#include <QtTest/QtTest>

#include <fstream>

using namespace berth;
using volume::CreateRequest;
using volume::VolumeService;

class TestVolumeService : public QObject {
    Q_OBJECT

    std::unique_ptr<test::TempDir> m_dir;
    store::StoreLayout m_layout;
    std::map<std::string, std::vector<std::string>> m_users;

    VolumeService service() {
        VolumeService s(m_layout);
        s.setUsersLookup([this]() -> Result<std::map<std::string, std::vector<std::string>>> { return m_users; });
        return s;
    }

private slots:
    void init() {
        m_dir = std::make_unique<test::TempDir>();
        m_layout = *store::openLayout(m_dir->path() / "store");
        m_users.clear();
    }

    void createListInspect() {
        auto s = service();
        CreateRequest req;
        req.name = "data";
        req.labels = {{"team", "web"}};
        auto v = s.create(req);
        QVERIFY2(v.has_value(), v ? "" : v.error().message().c_str());
        QCOMPARE(v->name, std::string("data"));
        QCOMPARE(v->mountpoint, m_layout.volumes() / "data" / "_data");
        QVERIFY(std::filesystem::is_directory(v->mountpoint));
        QVERIFY(!v->createdAt.empty());

        auto again = s.inspect("data");
        QVERIFY(again.has_value());
        QCOMPARE(again->labels.at("team"), std::string("web"));
        QVERIFY(!again->anonymous);

        CreateRequest anon;
        anon.anonymous = true;
        auto a = s.create(anon);
        QVERIFY(a.has_value());
        QCOMPARE(a->name.size(), size_t(64));  // a random name, as docker's
        auto list = s.list();
        QVERIFY(list.has_value());
        QCOMPARE(list->size(), size_t(2));

        // The events journal says what happened (the window follows it).
        auto events = store::readEvents(m_layout);
        QVERIFY(events.has_value());
        int creates = 0;
        for (auto& e : *events) creates += e.type == "volume" && e.action == "create";
        QCOMPARE(creates, 2);
    }

    void nameTakenAndBadNames() {
        auto s = service();
        CreateRequest req;
        req.name = "data";
        QVERIFY(s.create(req).has_value());
        std::ofstream(m_layout.volumes() / "data" / "_data" / "keep") << "precious";
        auto dup = s.create(req);
        QVERIFY(!dup.has_value());
        QCOMPARE(dup.error().code(), Errc::AlreadyExists);
        // Nothing of the first one was touched.
        QVERIFY(std::filesystem::exists(m_layout.volumes() / "data" / "_data" / "keep"));

        for (const char* bad : {"a", "../x", "a/b", "-lead", ".hidden"}) {
            req.name = bad;
            auto r = s.create(req);
            QVERIFY2(!r.has_value(), bad);
            QCOMPARE(r.error().code(), Errc::InvalidArgument);
        }
        req.name = "opts";
        req.options = {{"colour", "red"}};
        auto badOpt = s.create(req);
        QVERIFY(!badOpt.has_value());
        QVERIFY(QString::fromStdString(badOpt.error().message()).contains("invalid option key"));
        req.options = {{"type", "nfs"}, {"device", ":/x"}};
        QVERIFY(!s.create(req).has_value());
        // Refused creations left nothing behind, not even a temporary directory.
        int entries = 0;
        for (auto& e : std::filesystem::directory_iterator(m_layout.volumes()))
            entries += e.path().filename() != ".lock";
        QCOMPARE(entries, 1);
    }

    void inUseCannotBeRemoved() {
        auto s = service();
        CreateRequest req;
        req.name = "db";
        QVERIFY(s.create(req).has_value());
        m_users["db"] = {std::string(64, 'a')};
        auto r = s.remove("db");
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code(), Errc::Conflict);
        QVERIFY(QString::fromStdString(r.error().message()).contains("volume is in use - [aaaaaaaaaaaa]"));
        // -f does not override "in use" (as docker): it only accepts a missing volume.
        QVERIFY(!s.remove("db", true).has_value());
        QVERIFY(s.exists("db"));
        m_users.clear();
        QVERIFY(s.remove("db").has_value());
        QVERIFY(!s.exists("db"));
        QVERIFY(!std::filesystem::exists(m_layout.volumes() / "db"));
        auto missing = s.remove("db");
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code(), Errc::NotFound);
        QVERIFY(s.remove("db", true).has_value());
    }

    void pruneTakesAnonymousUnlessAll() {
        auto s = service();
        CreateRequest named;
        named.name = "keepme";
        QVERIFY(s.create(named).has_value());
        CreateRequest anon;
        anon.anonymous = true;
        auto unused = *s.create(anon);
        auto used = *s.create(anon);
        std::ofstream(unused.mountpoint / "f") << "12345";
        m_users[used.name] = {std::string(64, 'b')};

        auto rep = s.prune(false);
        QVERIFY(rep.has_value());
        QCOMPARE(rep->removed, std::vector<std::string>{unused.name});
        QCOMPARE(rep->reclaimedBytes, uint64_t(5));
        QVERIFY(s.exists("keepme"));
        QVERIFY(s.exists(used.name));

        auto all = s.prune(true);
        QVERIFY(all.has_value());
        QCOMPARE(all->removed, std::vector<std::string>{"keepme"});
        QVERIFY(s.exists(used.name));  // still in use
    }
};

BERTH_GUILESS_TEST_MAIN(TestVolumeService)
#include "tst_volume_service.moc"
