// Build contexts without root: .dockerignore matching like Docker's, the Dockerfile and
// ignore file chosen like docker build, paths and symlinks that leave the context refused,
// tar contexts (compressed, hostile entries refused).
#include "skip.h"
#include "build/build_context.h"
#include "build/docker_ignore.h"
#include "build/tree_copy.h"

#include "fixtures.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <fcntl.h>
#include <unistd.h>

using berth::Errc;
using berth::build::BuildContext;
using berth::build::cleanPath;
using berth::build::ContextRequest;
using berth::build::DockerIgnore;
using namespace berth::test;

class TestBuildContext : public QObject {
    Q_OBJECT

private slots:
    void ignorePatterns_data() {
        QTest::addColumn<QString>("patterns");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("excluded");
        QTest::newRow("star") << "*.log" << "a.log" << true;
        QTest::newRow("star not across dirs") << "*.log" << "sub/a.log" << false;
        QTest::newRow("double star any depth") << "**/*.log" << "sub/deep/a.log" << true;
        QTest::newRow("double star also top") << "**/*.log" << "a.log" << true;
        QTest::newRow("leading slash dropped") << "/tmp" << "tmp" << true;
        QTest::newRow("dir excludes contents") << "tmp" << "tmp/x/y" << true;
        QTest::newRow("exception re-includes") << "*.md\n!README.md" << "README.md" << false;
        QTest::newRow("exception only that one") << "*.md\n!README.md" << "CHANGES.md" << true;
        QTest::newRow("last match wins") << "!keep\nkeep" << "keep" << true;
        QTest::newRow("question mark") << "file?.txt" << "file1.txt" << true;
        QTest::newRow("question mark one char") << "file?.txt" << "file10.txt" << false;
        QTest::newRow("class") << "[ab].txt" << "b.txt" << true;
        QTest::newRow("negated class") << "[!ab].txt" << "c.txt" << true;
        QTest::newRow("cleaned") << "./sub/../x" << "x" << true;
        QTest::newRow("comment ignored") << "# *.txt" << "a.txt" << false;
        QTest::newRow("blank around") << "   a.txt   " << "a.txt" << true;
        QTest::newRow("dot is literal") << "a.txt" << "aXtxt" << false;
        QTest::newRow("prefix not enough") << "build" << "builder" << false;
        QTest::newRow("double star middle") << "a/**/z" << "a/b/c/z" << true;
        QTest::newRow("double star at end") << "a/**" << "a/b/c" << true;
        QTest::newRow("double star glued") << "**.log" << "x/y.log" << true;
        QTest::newRow("escaped star") << "a\\*" << "a*" << true;
        QTest::newRow("escaped star literal") << "a\\*" << "ab" << false;
        QTest::newRow("class range") << "v[0-9].txt" << "v7.txt" << true;
        QTest::newRow("class range miss") << "v[0-9].txt" << "vx.txt" << false;
        QTest::newRow("question mark not slash") << "a?b" << "a/b" << false;
        // Found by the dockerignore fuzz target: a backtracking regex took exponential time
        // on these (the build hung); the matcher is linear now.
        QTest::newRow("many stars, long name") << "*a*a*a*a*a*a*a*a*b" << QString(200, 'a') << false;
        QTest::newRow("many stars, long name, match") << "*a*a*a*a*a*a*a*a*b" << QString(200, 'a') + "b" << true;
        QTest::newRow("many double stars") << "x" + QString(60, '*') + "y" << "x" + QString(100, 'z') << false;
    }
    void ignorePatterns() {
        QFETCH(QString, patterns);
        QFETCH(QString, path);
        QFETCH(bool, excluded);
        auto di = DockerIgnore::parse(patterns.toStdString());
        QVERIFY(di.has_value());
        QCOMPARE(di->excluded(path.toStdString()), excluded);
    }

    void ignoreBadPattern() {
        auto di = DockerIgnore::parse("ok\n[unclosed\n");
        QVERIFY(!di);
        QVERIFY2(di.error().message().find(".dockerignore:2:") != std::string::npos, di.error().message().c_str());
        QVERIFY(!DockerIgnore::parse("!\n"));
        QVERIFY(!DockerIgnore::parse("trailing\\\n"));
        QVERIFY(!DockerIgnore::parse("[z-a]\n"));
    }

    void cleanPaths() {
        QCOMPARE(cleanPath("a/./b/../c/"), std::string("a/c"));
        QCOMPARE(cleanPath(""), std::string("."));
        QCOMPARE(cleanPath("../x"), std::string("../x"));
        QCOMPARE(cleanPath("/../x"), std::string("/x"));
    }

    void folderContextPicksDockerfileAndIgnore() {
        TempDir d;
        writeFile(d.path() / "Dockerfile", "FROM scratch\n");
        writeFile(d.path() / ".dockerignore", "*.a\n");
        writeFile(d.path() / "other.Dockerfile", "FROM busybox\n");
        writeFile(d.path() / "other.Dockerfile.dockerignore", "*.b\n");
        auto ctx = BuildContext::open({d.path().string(), "", d.path(), 0});
        QVERIFY(ctx.has_value());
        QCOMPARE(ctx->dockerfileText(), std::string("FROM scratch\n"));
        QCOMPARE(ctx->dockerfileName(), std::string("Dockerfile"));
        QVERIFY(ctx->ignore().excluded("x.a"));
        auto other = BuildContext::open({d.path().string(), (d.path() / "other.Dockerfile").string(), d.path(), 0});
        QVERIFY(other.has_value());
        QCOMPARE(other->dockerfileName(), std::string("other.Dockerfile"));
        // The Dockerfile's own ignore file wins over the context's.
        QVERIFY(other->ignore().excluded("x.b"));
        QVERIFY(!other->ignore().excluded("x.a"));
    }

    void missingDockerfileIsClear() {
        TempDir d;
        auto ctx = BuildContext::open({d.path().string(), "", d.path(), 0});
        QVERIFY(!ctx);
        QCOMPARE(ctx.error().code(), Errc::NotFound);
        QVERIFY2(ctx.error().message().find("Dockerfile") != std::string::npos, ctx.error().message().c_str());
        auto none = BuildContext::open({(d.path() / "nope").string(), "", d.path(), 0});
        QVERIFY(!none);
    }

    void pathsOutsideAreRefused() {
        TempDir d;
        auto root = d.path() / "ctx";
        std::filesystem::create_directories(root / "sub");
        writeFile(root / "Dockerfile", "FROM scratch\n");
        writeFile(root / "sub/file", "x");
        writeFile(d.path() / "outside", "secret");
        QCOMPARE(::symlink("/etc/passwd", (root / "abs-out").c_str()), 0);
        QCOMPARE(::symlink("../outside", (root / "rel-out").c_str()), 0);
        QCOMPARE(::symlink("sub/file", (root / "inside").c_str()), 0);
        QCOMPARE(::symlink("../../ctx/sub", (root / "sub/loop-in").c_str()), 0);
        QCOMPARE(::symlink((root / "sub").c_str(), (root / "abs-in").c_str()), 0);
        auto ctx = BuildContext::open({root.string(), "", d.path(), 0});
        QVERIFY(ctx.has_value());
        for (auto bad : {"../outside", "sub/../../outside", "abs-out", "rel-out"}) {
            auto r = ctx->resolve(bad);
            QVERIFY2(!r, bad);
            QCOMPARE(r.error().code(), Errc::PermissionDenied);
            QVERIFY(r.error().message().find("outside the build context") != std::string::npos);
        }
        auto canon = std::filesystem::canonical(root);
        QCOMPARE(*ctx->resolve("inside"), canon / "sub/file");
        QCOMPARE(*ctx->resolve("/sub/file"), canon / "sub/file");
        QCOMPARE(*ctx->resolve("abs-in/file"), canon / "sub/file");
        QCOMPARE(*ctx->resolve("."), canon);
    }

    void tarContextUnpacks() {
        TempDir d;
        auto tarFile = d.path() / "ctx.tar.gz";
        writeFile(tarFile, makeTar({{TarEntry::Dir, "app/", "", "", 0755},
                                    {TarEntry::File, "app/Dockerfile", "FROM scratch\nCOPY x /x\n"},
                                    {TarEntry::File, "x", "payload"},
                                    {TarEntry::Symlink, "lnk", "", "x", 0777}},
                                   TarCompression::Gzip));
        std::filesystem::path unpackedDir;
        {
            auto ctx = BuildContext::open({tarFile.string(), "app/Dockerfile", d.path() / "scratch", 0});
            QVERIFY2(ctx.has_value(), ctx ? "" : ctx.error().message().c_str());
            QCOMPARE(ctx->dockerfileText(), std::string("FROM scratch\nCOPY x /x\n"));
            QCOMPARE(readFileText(ctx->dir() / "x"), std::string("payload"));
            QCOMPARE(*ctx->resolve("lnk"), ctx->dir() / "x");
            unpackedDir = ctx->dir();
        }
        // The unpacked copy is gone with the context.
        QVERIFY(!std::filesystem::exists(unpackedDir));
    }

    void hostileTarContextRefused_data() {
        QTest::addColumn<QString>("entry");
        QTest::newRow("dotdot") << "../evil";
        QTest::newRow("absolute") << "/tmp/evil";
        QTest::newRow("dotdot inside") << "a/../../evil";
    }
    void hostileTarContextRefused() {
        QFETCH(QString, entry);
        TempDir d;
        auto tarFile = d.path() / "bad.tar";
        writeFile(tarFile, makeTar({{TarEntry::File, "Dockerfile", "FROM scratch\n"},
                                    {TarEntry::File, entry.toStdString(), "evil"}}));
        auto ctx = BuildContext::open({tarFile.string(), "", d.path() / "scratch", 0});
        QVERIFY(!ctx);
        QVERIFY2(ctx.error().message().find("outside") != std::string::npos, ctx.error().message().c_str());
        QVERIFY(!std::filesystem::exists(d.path() / "evil"));
        QVERIFY(!std::filesystem::exists("/tmp/evil") || readFileText("/tmp/evil") != "evil");
    }

    void notAnArchive() {
        TempDir d;
        writeFile(d.path() / "plain.txt", "just text, not a tar");
        auto ctx = BuildContext::open({(d.path() / "plain.txt").string(), "", d.path() / "scratch", 0});
        QVERIFY(!ctx);
        QCOMPARE(ctx.error().code(), Errc::Corrupt);
    }

    void globs() {
        TempDir d;
        for (auto n : {"a.txt", "b.txt", "c.md", "sub/x.txt", "sub/y.txt"}) writeFile(d.path() / n, "x");
        using V = std::vector<std::string>;
        QCOMPARE(berth::build::expandGlob(d.path(), "*.txt"), (V{"a.txt", "b.txt"}));
        QCOMPARE(berth::build::expandGlob(d.path(), "sub/*"), (V{"sub/x.txt", "sub/y.txt"}));
        QCOMPARE(berth::build::expandGlob(d.path(), "*/?.txt"), (V{"sub/x.txt", "sub/y.txt"}));
        QCOMPARE(berth::build::expandGlob(d.path(), "none*"), V{});
        QCOMPARE(berth::build::expandGlob(d.path(), "c.md"), V{"c.md"});
    }

    void sourceHashFollowsContentAndIgnore() {
        TempDir d;
        writeFile(d.path() / "dir/a", "1");
        writeFile(d.path() / "dir/skip.log", "1");
        auto di = *DockerIgnore::parse("*.log\n**/*.log\n");
        auto h1 = *berth::build::hashSource(d.path() / "dir", "dir", &di, false);
        writeFile(d.path() / "dir/skip.log", "changed");
        QCOMPARE(*berth::build::hashSource(d.path() / "dir", "dir", &di, false), h1);  // ignored file
        writeFile(d.path() / "dir/a", "2");
        QVERIFY(*berth::build::hashSource(d.path() / "dir", "dir", &di, false) != h1);
    }
};

BERTH_GUILESS_TEST_MAIN(TestBuildContext)
#include "tst_build_context.moc"
