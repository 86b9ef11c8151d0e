// Git build contexts without root: which sources are git (docker's forms, file://, local
// repositories), listing a repository's branches and tags, and checking refs out (branch,
// annotated and lightweight tag, commit prefix, subdirectory) from a repository the test
// makes with libgit2; a missing ref or subdirectory is an error naming it and the
// repository, and the checkout is removed with the context.
#include "skip.h"
#include "build/build_context.h"
#include "build/git_source.h"
#include "git_test_repo.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <sys/stat.h>

#include <fstream>

using namespace berth;
using namespace berth::build;
using berth::test::GitTestRepo;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& p) {
    auto r = std::ifstream(p);
    return std::string(std::istreambuf_iterator<char>(r), {});
}

size_t entriesIn(const fs::path& dir) {
    std::error_code ec;
    size_t n = 0;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
    return n;
}

} // namespace

class TestGitSource : public QObject {
    Q_OBJECT

    std::unique_ptr<test::TempDir> m_tmp;
    fs::path m_repoDir;
    std::string m_mainV1, m_mainV2, m_devTip;

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<test::TempDir>();
        m_repoDir = m_tmp->path() / "app.git";
        GitTestRepo repo(m_repoDir, /*bare=*/true);
        m_mainV1 = repo.commit("main", {{"Dockerfile", "FROM busybox\n"}, {"VERSION", "1\n"},
                                        {"web/Dockerfile", "FROM busybox\nCOPY page.txt /\n"},
                                        {"web/page.txt", "page one\n"}, {"run.sh*", "#!/bin/sh\necho hi\n"}},
                               "first");
        repo.tag("v1.0", m_mainV1, /*annotated=*/true);
        m_mainV2 = repo.commit("main", {{"Dockerfile", "FROM busybox\n"}, {"VERSION", "2\n"},
                                        {"web/Dockerfile", "FROM busybox\nCOPY page.txt /\n"},
                                        {"web/page.txt", "page two\n"}},
                               "second");
        repo.tag("light", m_mainV2, /*annotated=*/false);
        m_devTip = repo.commit("dev", {{"Dockerfile", "FROM busybox\n"}, {"VERSION", "dev\n"}}, "dev work");
        repo.setHead("main");
    }
    void cleanupTestCase() { m_tmp.reset(); }

    void recognisesDockersGitForms() {
        auto g = parseGitSource("https://example.com/org/app.git#v1.2:web");
        QVERIFY(g);
        QCOMPARE(g->url, std::string("https://example.com/org/app.git"));
        QCOMPARE(g->ref, std::string("v1.2"));
        QCOMPARE(g->subdir, std::string("web"));
        g = parseGitSource("git@example.com:org/app.git#main");
        QVERIFY(g);
        QCOMPARE(g->url, std::string("git@example.com:org/app.git"));
        QCOMPARE(g->ref, std::string("main"));
        QCOMPARE(g->subdir, std::string(""));
        g = parseGitSource("git://example.com/app");
        QVERIFY(g);
        QCOMPARE(g->ref, std::string(""));
        g = parseGitSource("github.com/org/app#:sub/dir");
        QVERIFY(g);
        QCOMPARE(g->url, std::string("https://github.com/org/app"));
        QCOMPARE(g->ref, std::string(""));
        QCOMPARE(g->subdir, std::string("sub/dir"));
        g = parseGitSource("file:///srv/app.git#dev");
        QVERIFY(g);
        QCOMPARE(g->url, std::string("file:///srv/app.git"));
        // Not git: an https URL without .git (docker treats it as a remote file), folders,
        // archives, stdin.
        QVERIFY(!parseGitSource("https://example.com/context.tar.gz"));
        QVERIFY(!parseGitSource("-"));
        QVERIFY(!parseGitSource(m_tmp->path().string()));
        // A local repository with a fragment, and a bare repository as it is, are git.
        g = parseGitSource(m_repoDir.string() + "#dev:sub");
        QVERIFY(g);
        QCOMPARE(g->url, m_repoDir.string());
        QCOMPARE(g->ref, std::string("dev"));
        QCOMPARE(g->subdir, std::string("sub"));
        g = parseGitSource(m_repoDir.string());
        QVERIFY(g);
        QCOMPARE(g->ref, std::string(""));
        // A folder that is not a repository, with a fragment: not git (and does not exist).
        QVERIFY(!parseGitSource(m_tmp->path().string() + "#main"));
    }

    void listsBranchesAndTags() {
        auto refs = listGitRefs("file://" + m_repoDir.string());
        QVERIFY2(refs, refs ? "" : refs.error().message().c_str());
        std::vector<std::string> names;
        for (auto& r : *refs) names.push_back((r.kind == GitRef::Kind::Branch ? "b:" : r.kind == GitRef::Kind::Tag ? "t:" : "o:") + r.name);
        QCOMPARE(names, (std::vector<std::string>{"b:dev", "b:main", "t:light", "t:v1.0"}));
        for (auto& r : *refs) {
            QCOMPARE(r.isHead, r.name == "main");
            if (r.name == "dev") QCOMPARE(r.commit, m_devTip);
            if (r.name == "light") QCOMPARE(r.commit, m_mainV2);
        }
        auto missing = listGitRefs("file://" + (m_tmp->path() / "nope.git").string());
        QVERIFY(!missing);
        QVERIFY2(missing.error().message().find("nope.git") != std::string::npos, missing.error().message().c_str());
    }

    void checksOutBranchTagAndCommit() {
        struct Case {
            std::string ref, commit, version;
        };
        std::vector<Case> cases{{"", m_mainV2, "2\n"},          {"main", m_mainV2, "2\n"},
                                {"dev", m_devTip, "dev\n"},       {"v1.0", m_mainV1, "1\n"},
                                {"light", m_mainV2, "2\n"},       {"refs/heads/dev", m_devTip, "dev\n"},
                                {m_mainV1.substr(0, 10), m_mainV1, "1\n"}, {m_mainV1, m_mainV1, "1\n"}};
        int n = 0;
        for (auto& c : cases) {
            auto dir = m_tmp->path() / ("co" + std::to_string(++n));
            std::vector<std::string> lines;
            auto r = checkoutGit({"file://" + m_repoDir.string(), c.ref, ""}, dir / "repo", dir / "tree",
                                 [&](const std::string& l) { lines.push_back(l); });
            QVERIFY2(r, (c.ref + ": " + (r ? "" : r.error().message())).c_str());
            QCOMPARE(r->commit, c.commit);
            QCOMPARE(readText(dir / "tree" / "VERSION"), c.version);
            QVERIFY(!fs::exists(dir / "tree" / ".git"));
            QVERIFY(!lines.empty());
        }
        // The executable bit travels.
        struct stat st{};
        QCOMPARE(::stat((m_tmp->path() / "co4" / "tree" / "run.sh").c_str(), &st), 0);
        QVERIFY(st.st_mode & S_IXUSR);
    }

    void missingRefNamesRefAndRepository() {
        std::string url = "file://" + m_repoDir.string();
        for (std::string ref : {"no-such-branch", "deadbeef"}) {
            auto dir = m_tmp->path() / ("missing-" + ref);
            auto r = checkoutGit({url, ref, ""}, dir / "repo", dir / "tree");
            QVERIFY(!r);
            QCOMPARE(r.error().code(), Errc::NotFound);
            const auto& msg = r.error().message();
            QVERIFY2(msg.find("`" + ref + "`") != std::string::npos, msg.c_str());
            QVERIFY2(msg.find(url) != std::string::npos, msg.c_str());
            // The message lists what exists.
            QVERIFY2(msg.find("branches: dev, main") != std::string::npos, msg.c_str());
        }
    }

    void contextFromSubdirIsRemovedAfterwards() {
        auto scratch = m_tmp->path() / "scratch";
        {
            ContextRequest req;
            req.source = "file://" + m_repoDir.string() + "#v1.0:web";
            req.scratchDir = scratch;
            auto ctx = BuildContext::open(req);
            QVERIFY2(ctx, ctx ? "" : ctx.error().message().c_str());
            QCOMPARE(ctx->dockerfileText(), std::string("FROM busybox\nCOPY page.txt /\n"));
            QCOMPARE(readText(ctx->dir() / "page.txt"), std::string("page one\n"));
            QCOMPARE(ctx->gitCommit(), m_mainV1);
            // The context is the subdirectory: the repository root is outside it.
            QVERIFY(!ctx->resolve("../VERSION"));
            QCOMPARE(entriesIn(scratch), size_t(1));
        }
        QCOMPARE(entriesIn(scratch), size_t(0));

        // A local path with a fragment; -f is read inside the checked-out context.
        ContextRequest local;
        local.source = m_repoDir.string() + "#main";
        local.dockerfile = "web/Dockerfile";
        local.scratchDir = scratch;
        auto ctx = BuildContext::open(local);
        QVERIFY2(ctx, ctx ? "" : ctx.error().message().c_str());
        QCOMPARE(ctx->dockerfileText(), std::string("FROM busybox\nCOPY page.txt /\n"));
        QCOMPARE(readText(ctx->dir() / "VERSION"), std::string("2\n"));
    }

    void missingSubdirOrRefIsAClearError() {
        auto scratch = m_tmp->path() / "scratch2";
        ContextRequest req;
        req.scratchDir = scratch;
        req.source = "file://" + m_repoDir.string() + "#dev:web";
        auto ctx = BuildContext::open(req);
        QVERIFY(!ctx);
        QVERIFY2(ctx.error().message().find("subdirectory `web` not found at dev") != std::string::npos,
                 ctx.error().message().c_str());
        req.source = "file://" + m_repoDir.string() + "#v9:web";
        ctx = BuildContext::open(req);
        QVERIFY(!ctx);
        QVERIFY2(ctx.error().message().find("git ref `v9` not found in file://" + m_repoDir.string()) != std::string::npos,
                 ctx.error().message().c_str());
        req.source = "file://" + m_repoDir.string() + "#main:../..";
        ctx = BuildContext::open(req);
        QVERIFY(!ctx);
        QCOMPARE(ctx.error().code(), Errc::PermissionDenied);
        // Nothing is left behind by the failures.
        QCOMPARE(entriesIn(scratch), size_t(0));
    }
};

BERTH_GUILESS_TEST_MAIN(TestGitSource)
#include "tst_git_source.moc"
