// Image references parsed like Docker's, and content digests.

#include "skip.h"
#include "image/digest.h"
#include "image/reference.h"

#include <QtTest/QtTest>

using berth::Errc;
using berth::image::Digest;
using berth::image::Reference;
using berth::image::Sha256;

namespace {

const std::string kHex = "4bf5e6e8ff0b2bc5e2c1d3e0f7b8a6c9d4e5f60718293a4b5c6d7e8f90a1b2c3";
// sha256("abc"), from FIPS 180-2 appendix B.1.
const std::string kAbcHex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
// sha256(""), well known.
const std::string kEmptyHex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

} // namespace

class TestReference : public QObject {
    Q_OBJECT

private slots:
    void valid_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("registry");
        QTest::addColumn<QString>("repository");
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("digest");
        QTest::addColumn<QString>("familiar");
        QTest::addColumn<QString>("familiarName");
        QTest::addColumn<QString>("full");

        const QString d = QString::fromStdString("sha256:" + kHex);
        QTest::newRow("busybox") << "busybox" << "docker.io" << "library/busybox" << "latest" << ""
                                 << "busybox:latest" << "busybox"
                                 << "docker.io/library/busybox:latest";
        QTest::newRow("tagged") << "busybox:1.36" << "docker.io" << "library/busybox" << "1.36"
                                << "" << "busybox:1.36" << "busybox"
                                << "docker.io/library/busybox:1.36";
        QTest::newRow("user repo") << "me/app:1" << "docker.io" << "me/app" << "1" << ""
                                   << "me/app:1" << "me/app" << "docker.io/me/app:1";
        QTest::newRow("explicit docker.io") << "docker.io/library/busybox:latest" << "docker.io"
                                            << "library/busybox" << "latest" << ""
                                            << "busybox:latest" << "busybox"
                                            << "docker.io/library/busybox:latest";
        QTest::newRow("index.docker.io") << "index.docker.io/me/app" << "docker.io" << "me/app"
                                         << "latest" << "" << "me/app:latest" << "me/app"
                                         << "docker.io/me/app:latest";
        QTest::newRow("docker.io single") << "docker.io/alpine" << "docker.io" << "library/alpine"
                                          << "latest" << "" << "alpine:latest" << "alpine"
                                          << "docker.io/library/alpine:latest";
        QTest::newRow("library nested kept") << "library/a/b" << "docker.io" << "library/a/b"
                                             << "latest" << "" << "library/a/b:latest"
                                             << "library/a/b" << "docker.io/library/a/b:latest";
        QTest::newRow("localhost port") << "localhost:5000/a/b:t" << "localhost:5000" << "a/b"
                                        << "t" << "" << "localhost:5000/a/b:t"
                                        << "localhost:5000/a/b" << "localhost:5000/a/b:t";
        QTest::newRow("localhost") << "localhost/app" << "localhost" << "app" << "latest" << ""
                                   << "localhost/app:latest" << "localhost/app"
                                   << "localhost/app:latest";
        QTest::newRow("dotted registry") << "quay.io/podman/hello" << "quay.io" << "podman/hello"
                                         << "latest" << "" << "quay.io/podman/hello:latest"
                                         << "quay.io/podman/hello"
                                         << "quay.io/podman/hello:latest";
        QTest::newRow("ipv6 registry") << "[::1]:5000/app:v2" << "[::1]:5000" << "app" << "v2" << ""
                                       << "[::1]:5000/app:v2" << "[::1]:5000/app"
                                       << "[::1]:5000/app:v2";
        QTest::newRow("upper-case registry") << "Registry.Example.com/app" << "Registry.Example.com"
                                             << "app" << "latest" << ""
                                             << "Registry.Example.com/app:latest"
                                             << "Registry.Example.com/app"
                                             << "Registry.Example.com/app:latest";
        QTest::newRow("digest only") << QString("x@") + d << "docker.io" << "library/x" << "" << d
                                     << "x@" + d << "x" << "docker.io/library/x@" + d;
        QTest::newRow("tag and digest") << QString("x:1@") + d << "docker.io" << "library/x" << "1"
                                        << d << "x:1@" + d << "x"
                                        << "docker.io/library/x:1@" + d;
        QTest::newRow("registry port digest") << QString("localhost:5000/app@") + d
                                              << "localhost:5000" << "app" << "" << d
                                              << "localhost:5000/app@" + d
                                              << "localhost:5000/app"
                                              << "localhost:5000/app@" + d;
        QTest::newRow("separators") << "me/a_b__c.d---e/f-g:T_a.g-1" << "docker.io"
                                    << "me/a_b__c.d---e/f-g" << "T_a.g-1" << ""
                                    << "me/a_b__c.d---e/f-g:T_a.g-1" << "me/a_b__c.d---e/f-g"
                                    << "docker.io/me/a_b__c.d---e/f-g:T_a.g-1";
        // A first component with a '.' is a registry, even when it looks like a name.
        QTest::newRow("dot means registry") << "my.app/x" << "my.app" << "x" << "latest" << ""
                                            << "my.app/x:latest" << "my.app/x"
                                            << "my.app/x:latest";
        QTest::newRow("port-looking tag") << "localhost:5000" << "docker.io" << "library/localhost"
                                          << "5000" << "" << "localhost:5000" << "localhost"
                                          << "docker.io/library/localhost:5000";
        // Found by the `reference` fuzz target: the short form must not name another registry.
        QTest::newRow("hub repo that looks like a domain") << "docker.io/evil.example/app" << "docker.io"
                                                           << "evil.example/app" << "latest" << ""
                                                           << "docker.io/evil.example/app:latest"
                                                           << "docker.io/evil.example/app"
                                                           << "docker.io/evil.example/app:latest";
        QTest::newRow("hub repo named localhost") << "docker.io/localhost/app:1" << "docker.io"
                                                  << "localhost/app" << "1" << ""
                                                  << "docker.io/localhost/app:1" << "docker.io/localhost/app"
                                                  << "docker.io/localhost/app:1";
        QTest::newRow("128-char tag") << "a:" + QString(128, 'x') << "docker.io" << "library/a"
                                      << QString(128, 'x') << "" << "a:" + QString(128, 'x') << "a"
                                      << "docker.io/library/a:" + QString(128, 'x');
    }

    void valid() {
        QFETCH(QString, input);
        QFETCH(QString, registry);
        QFETCH(QString, repository);
        QFETCH(QString, tag);
        QFETCH(QString, digest);
        QFETCH(QString, familiar);
        QFETCH(QString, familiarName);
        QFETCH(QString, full);

        auto r = Reference::parse(input.toStdString());
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(QString::fromStdString(r->registry), registry);
        QCOMPARE(QString::fromStdString(r->repository), repository);
        QCOMPARE(QString::fromStdString(r->tag), tag);
        QCOMPARE(QString::fromStdString(r->digest ? r->digest->str() : std::string()), digest);
        QCOMPARE(QString::fromStdString(r->familiar()), familiar);
        QCOMPARE(QString::fromStdString(r->familiarName()), familiarName);
        QCOMPARE(QString::fromStdString(r->str()), full);
        QCOMPARE(QString::fromStdString(r->name()), registry + "/" + repository);

        // The full form parses back to the same reference, and so does the short one.
        auto again = Reference::parse(r->str());
        QVERIFY(again.has_value());
        QVERIFY(*again == *r);
        auto shortAgain = Reference::parse(r->familiar());
        QVERIFY(shortAgain.has_value());
        QVERIFY(*shortAgain == *r);
    }

    void invalid_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("why");  // a piece of the message that says what is wrong

        QTest::newRow("empty") << "" << "empty reference";
        QTest::newRow("upper case") << "BusyBox" << "repository name must be lowercase";
        QTest::newRow("upper case path") << "me/App:1" << "repository name must be lowercase";
        QTest::newRow("upper after registry") << "quay.io/Me/app" << "repository name must be lowercase";
        QTest::newRow("bad tag char") << "busybox:bad!tag" << "tag \"bad!tag\"";
        QTest::newRow("tag starts with dot") << "busybox:.x" << "must start with";
        QTest::newRow("tag too long") << "busybox:" + QString(129, 'a') << "longer than 128";
        QTest::newRow("empty tag") << "busybox:" << "empty tag";
        QTest::newRow("empty digest") << "busybox@" << "empty digest";
        QTest::newRow("short digest") << "busybox@sha256:abc" << "64 hex";
        QTest::newRow("upper digest") << QString::fromStdString("busybox@sha256:" + std::string(64, 'A'))
                                      << "lowercase hex";
        QTest::newRow("other algorithm") << QString::fromStdString("busybox@md5:" + kHex)
                                         << "unsupported algorithm";
        QTest::newRow("64 hex name") << QString::fromStdString(kHex) << "64-byte hexadecimal";
        QTest::newRow("double separator") << "a..b" << "invalid separator";
        QTest::newRow("mixed separator") << "a-_b" << "invalid separator";
        QTest::newRow("triple underscore") << "a___b" << "invalid separator";
        QTest::newRow("leading separator") << "-ab" << "must start with";
        QTest::newRow("trailing separator") << "me/ab_" << "must end with";
        QTest::newRow("empty component") << "me//app" << "empty path component";
        QTest::newRow("trailing slash") << "me/app/" << "empty path component";
        QTest::newRow("only registry") << "quay.io/" << "at least one component";
        QTest::newRow("bad char") << "me/a+b" << "invalid character";
        QTest::newRow("bad port") << "host:x5/app" << "port must be a number";
        QTest::newRow("bad host") << "-bad.io/app" << "invalid host name";
        QTest::newRow("space") << "bus box" << "invalid character";
        QTest::newRow("too long") << "a/" + QString(260, 'b') << "more than 255";
    }

    void invalid() {
        QFETCH(QString, input);
        QFETCH(QString, why);
        auto r = Reference::parse(input.toStdString());
        QVERIFY2(!r.has_value(), r ? r->str().c_str() : "");
        QCOMPARE(r.error().code(), Errc::InvalidArgument);
        const QString msg = QString::fromStdString(r.error().message());
        QVERIFY2(msg.contains(why), qPrintable(msg));
        if (!input.isEmpty() && input.size() < 64 + 8)
            QVERIFY2(msg.contains("invalid reference format") || msg.contains("invalid repository name"),
                     qPrintable(msg));
    }

    void digestParse() {
        auto d = Digest::parse("sha256:" + kHex);
        QVERIFY(d.has_value());
        QCOMPARE(d->hex(), kHex);
        QCOMPARE(d->str(), "sha256:" + kHex);
        QCOMPARE(d->shortId(), kHex.substr(0, 12));
        QVERIFY(!d->empty());
        QVERIFY(Digest().empty());

        for (const std::string& bad : {std::string(), kHex, "sha256:" + kHex.substr(1),
                                      "sha256:" + kHex + "0", "SHA256:" + kHex,
                                      "sha512:" + kHex, "sha256:" + std::string(63, 'a') + "g"}) {
            auto r = Digest::parse(bad);
            QVERIFY2(!r.has_value(), bad.c_str());
            QCOMPARE(r.error().code(), Errc::InvalidArgument);
        }
        QVERIFY(Digest::isHex(kHex));
        QVERIFY(!Digest::isHex(kHex.substr(2)));
        QVERIFY(!Digest::isHex(std::string(64, 'G')));
    }

    void digestOfKnownVectors() {
        QCOMPARE(Digest::ofBytes("abc").hex(), kAbcHex);
        QCOMPARE(Digest::ofBytes("").hex(), kEmptyHex);

        // Streaming in pieces gives the same digest as hashing at once, and a finished
        // hasher starts over.
        Sha256 h;
        h.update("a");
        h.update(std::string_view("b"));
        h.update("c", 1);
        QCOMPARE(h.finish().hex(), kAbcHex);
        QCOMPARE(h.finish().hex(), kEmptyHex);

        std::string big(3 << 20, 'z');
        Sha256 parts;
        for (size_t i = 0; i < big.size(); i += 4093)
            parts.update(std::string_view(big).substr(i, 4093));
        QCOMPARE(parts.finish(), Digest::ofBytes(big));
    }

    void digestVerify() {
        auto d = Digest::parse("sha256:" + kAbcHex);
        QVERIFY(d.has_value());
        QVERIFY(d->verify("abc").has_value());
        auto bad = d->verify("abd", "blob x");
        QVERIFY(!bad.has_value());
        QCOMPARE(bad.error().code(), Errc::Corrupt);
        const std::string& msg = bad.error().message();
        QVERIFY2(msg.find("blob x") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("sha256:" + kAbcHex) != std::string::npos, msg.c_str());
        QVERIFY2(msg.find(Digest::ofBytes("abd").str()) != std::string::npos, msg.c_str());
    }
};

BERTH_GUILESS_TEST_MAIN(TestReference)
#include "tst_reference.moc"
