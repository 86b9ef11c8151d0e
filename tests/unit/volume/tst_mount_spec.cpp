// -v and --mount as docker spells them, parsed into MountRequest; bad specs are errors
// that say what is wrong.
#include "skip.h"
#include "container/mount_spec.h"

#include <QtTest/QtTest>

using berth::Errc;
using berth::container::MountRequest;
using berth::container::parseMountSpec;
using berth::container::parseVolumeSpec;
using berth::container::validateMounts;
using Type = MountRequest::Type;

Q_DECLARE_METATYPE(MountRequest::Type)

class TestMountSpec : public QObject {
    Q_OBJECT

private slots:
    void volumeSpec_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<Type>("type");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<bool>("anonymous");
        QTest::addColumn<bool>("noCopy");
        QTest::newRow("named") << "data:/var/lib/x" << Type::Volume << "data" << "/var/lib/x" << false << false << false;
        QTest::newRow("named ro") << "data:/x:ro" << Type::Volume << "data" << "/x" << true << false << false;
        QTest::newRow("named rw,nocopy") << "d.1_-x:/x:rw,nocopy" << Type::Volume << "d.1_-x" << "/x" << false << false << true;
        QTest::newRow("bind") << "/srv/web:/usr/share/www" << Type::Bind << "/srv/web" << "/usr/share/www" << false << false << false;
        QTest::newRow("bind ro z") << "/srv:/mnt:ro,z" << Type::Bind << "/srv" << "/mnt" << true << false << false;
        QTest::newRow("bind normalised") << "/srv//a/../b/:/mnt/x/" << Type::Bind << "/srv/b" << "/mnt/x" << false << false << false;
        QTest::newRow("anonymous") << "/data" << Type::Volume << "" << "/data" << false << true << false;
        QTest::newRow("anonymous ro") << "/data:ro" << Type::Volume << "" << "/data" << true << true << false;
    }
    void volumeSpec() {
        QFETCH(QString, spec);
        auto m = parseVolumeSpec(spec.toStdString());
        QVERIFY2(m.has_value(), m ? "" : m.error().message().c_str());
        QTEST(m->type, "type");
        QTEST(QString::fromStdString(m->source), "source");
        QTEST(QString::fromStdString(m->target), "target");
        QTEST(m->readOnly, "readOnly");
        QTEST(m->anonymous, "anonymous");
        QTEST(m->noCopy, "noCopy");
    }

    void badVolumeSpec_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");  // a piece of the error
        QTest::newRow("empty") << "" << "invalid volume specification";
        QTest::newRow("relative target") << "data:var/lib" << "mount path must be absolute";
        QTest::newRow("relative anonymous") << "data" << "mount path must be absolute";
        QTest::newRow("root target") << "data:/" << "destination can't be '/'";
        QTest::newRow("relative host path") << "./site:/srv" << "If you intended to pass a host directory, use absolute path";
        QTest::newRow("bad name") << "a b:/srv" << "invalid characters for a local volume name";
        QTest::newRow("one-char name") << "a:/srv" << "invalid characters for a local volume name";
        QTest::newRow("unknown mode") << "data:/x:rx" << "unknown mode `rx`";
        QTest::newRow("ro and rw") << "data:/x:ro,rw" << "ro and rw both given";
        QTest::newRow("nocopy bind") << "/srv:/x:nocopy" << "nocopy is only for volumes";
        QTest::newRow("too many colons") << "a:/b:ro:x" << "too many colons";
        QTest::newRow("empty source") << ":/x" << "empty source";
    }
    void badVolumeSpec() {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        auto m = parseVolumeSpec(spec.toStdString());
        QVERIFY(!m.has_value());
        QCOMPARE(m.error().code(), Errc::InvalidArgument);
        QVERIFY2(QString::fromStdString(m.error().message()).contains(message), m.error().message().c_str());
    }

    void mountSpec() {
        auto b = parseMountSpec("type=bind,source=/srv,target=/mnt,readonly");
        QVERIFY(b.has_value());
        QCOMPARE(b->type, Type::Bind);
        QCOMPARE(b->source, std::string("/srv"));
        QCOMPARE(b->target, std::string("/mnt"));
        QVERIFY(b->readOnly);

        auto v = parseMountSpec("src=cache,dst=/cache,volume-nocopy,ro=false");  // type defaults to volume
        QVERIFY(v.has_value());
        QCOMPARE(v->type, Type::Volume);
        QCOMPARE(v->source, std::string("cache"));
        QVERIFY(v->noCopy);
        QVERIFY(!v->readOnly);
        QVERIFY(!v->anonymous);

        auto anon = parseMountSpec("type=volume,target=/data");
        QVERIFY(anon.has_value());
        QVERIFY(anon->anonymous);
        QVERIFY(anon->source.empty());

        auto t = parseMountSpec("type=tmpfs,destination=/scratch,tmpfs-size=64m,tmpfs-mode=1770");
        QVERIFY(t.has_value());
        QCOMPARE(t->type, Type::Tmpfs);
        QCOMPARE(t->tmpfsSize, int64_t(64) << 20);
        QCOMPARE(t->tmpfsMode, uint32_t(01770));
    }

    void badMountSpec_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("no target") << "type=volume,source=x1" << "a target (destination) is required";
        QTest::newRow("bind without source") << "type=bind,target=/x" << "type=bind needs a source";
        QTest::newRow("relative bind") << "type=bind,source=srv,target=/x" << "must be an absolute path";
        QTest::newRow("unknown type") << "type=nfs,target=/x" << "mount type `nfs` is not supported";
        QTest::newRow("unknown key") << "type=volume,target=/x,colour=red" << "unexpected key 'colour'";
        QTest::newRow("tmpfs with source") << "type=tmpfs,source=x1,target=/x" << "type=tmpfs takes no source";
        QTest::newRow("tmpfs size on bind") << "type=bind,source=/srv,target=/x,tmpfs-size=1m" << "only for type=tmpfs";
        QTest::newRow("bad tmpfs size") << "type=tmpfs,target=/x,tmpfs-size=lots" << "invalid tmpfs-size";
        QTest::newRow("bad tmpfs mode") << "type=tmpfs,target=/x,tmpfs-mode=999" << "invalid tmpfs-mode";
        QTest::newRow("bad readonly") << "type=volume,target=/x,readonly=maybe" << "invalid value for readonly";
        QTest::newRow("shared propagation") << "type=bind,source=/s,target=/x,bind-propagation=rshared" << "not supported";
        QTest::newRow("relative target") << "type=volume,target=x" << "mount path must be absolute";
        QTest::newRow("empty field") << "type=volume,,target=/x" << "empty field";
    }
    void badMountSpec() {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        auto m = parseMountSpec(spec.toStdString());
        QVERIFY(!m.has_value());
        QCOMPARE(m.error().code(), Errc::InvalidArgument);
        QVERIFY2(QString::fromStdString(m.error().message()).contains(message), m.error().message().c_str());
    }

    void duplicateTargets() {
        auto a = *parseVolumeSpec("one:/data");
        auto b = *parseMountSpec("type=bind,source=/srv,target=/data/");
        auto r = validateMounts({a, b}, {});
        QVERIFY(!r.has_value());
        QVERIFY(QString::fromStdString(r.error().message()).contains("Duplicate mount point: /data"));
        auto withTmpfs = validateMounts({a}, {"/data:size=1m"});
        QVERIFY(!withTmpfs.has_value());
        QVERIFY(validateMounts({a, *parseVolumeSpec("/other")}, {"/run"}).has_value());
    }
};

BERTH_APPLESS_TEST_MAIN(TestMountSpec)
#include "tst_mount_spec.moc"
