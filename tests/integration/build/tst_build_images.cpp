// Real builds from busybox-based Dockerfiles: what the Dockerfile puts in is what `berth
// run` of the image prints; multi-stage builds with COPY --from and --target; contexts
// with .dockerignore, heredocs, ADD of a local archive, --chown/--chmod, tar contexts.
#include "skip.h"
#include "build_test_helpers.h"

#include <QtTest/QtTest>

#include <unistd.h>

using namespace berth::test;

class BuildImages : public QObject {
    Q_OBJECT

private slots:
    void busyboxImageRunsWhatTheDockerfilePutIn() {
        BuildFixture f;
        f.write("msg.txt", "message from the context\n");
        f.write("Dockerfile",
                "FROM busybox\n"
                "ENV GREETING=hello NAME=\"berth world\"\n"
                "WORKDIR /app\n"
                "COPY msg.txt ./\n"
                "RUN echo \"$GREETING from RUN\" > /app/run.txt && echo visible-output\n"
                "ARG SUFFIX=default\n"
                "RUN echo \"arg=$SUFFIX\" > /app/arg.txt\n"
                "LABEL org.example.k=v\n"
                "EXPOSE 8080/tcp\n"
                "USER nobody\n"
                "CMD [\"sh\", \"-c\", \"cat /app/msg.txt /app/run.txt /app/arg.txt; echo $NAME; pwd; id -u\"]\n");
        auto iid = f.scratch() / "iid";
        auto r = f.build({"-t", "app:1", "--build-arg", "SUFFIX=given", "--label", "built.by=test",
                          "--iidfile", iid.string(), "--progress", "plain"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        // docker's plain progress: numbered steps, the RUN's output, DONE with a time.
        QVERIFY2(r.err.find("[1/4] FROM busybox") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("[2/4] COPY msg.txt ./") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find(" visible-output\n") != std::string::npos, r.err.c_str());
        QVERIFY(r.err.find(" DONE ") != std::string::npos);
        QVERIFY(r.err.find("naming to docker.io/library/app:1") != std::string::npos);

        auto run = f.berth({"run", "--rm", "app:1"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        QCOMPARE(run.out, std::string("message from the context\nhello from RUN\narg=given\nberth world\n/app\n65534\n"));
        // ARG values reach RUN but are not part of the image's environment.
        auto env = f.berth({"run", "--rm", "app:1", "sh", "-c", "echo ${SUFFIX:-unset}"});
        QCOMPARE(env.out, std::string("unset\n"));

        auto j = f.inspectImage("app:1");
        QCOMPARE(readFileText(iid), j["Id"].get<std::string>());
        auto& cfg = j["Config"];
        QCOMPARE(cfg["WorkingDir"].get<std::string>(), std::string("/app"));
        QCOMPARE(cfg["User"].get<std::string>(), std::string("nobody"));
        QCOMPARE(cfg["Labels"]["org.example.k"].get<std::string>(), std::string("v"));
        QCOMPARE(cfg["Labels"]["built.by"].get<std::string>(), std::string("test"));
        QVERIFY(cfg["ExposedPorts"].contains("8080/tcp"));
        bool hasGreeting = false;
        for (auto& e : cfg["Env"]) hasGreeting = hasGreeting || e.get<std::string>() == "GREETING=hello";
        QVERIFY(hasGreeting);
        // busybox's layer + COPY + two RUNs.
        QCOMPARE(j["RootFS"]["Layers"].size(), size_t(4));
        QCOMPARE(f.containerCount(), size_t(0));
        QCOMPARE(f.mountsUnderStore(), size_t(0));
    }

    void multiStageCopyFrom() {
        BuildFixture f;
        f.write("Dockerfile",
                "ARG BASE=busybox\n"
                "FROM ${BASE} AS build\n"
                "RUN mkdir /out && echo built-in-stage-one > /out/artifact\n"
                "FROM busybox AS unused\n"
                "RUN echo this stage is not needed && exit 1\n"
                "FROM scratch\n"
                "COPY --from=build /bin/busybox /bin/busybox\n"
                "COPY --from=build /out/artifact /artifact\n"
                "CMD [\"/bin/busybox\", \"cat\", \"/artifact\"]\n");
        auto r = f.build({"-t", "multi:1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        // The failing stage was skipped: nothing depends on it.
        QVERIFY(r.err.find("this stage is not needed") == std::string::npos);
        QVERIFY(r.err.find("[build 2/2] RUN mkdir /out") != std::string::npos);
        auto run = f.berth({"run", "--rm", "multi:1"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        QCOMPARE(run.out, std::string("built-in-stage-one\n"));
        // FROM scratch + two COPY layers: busybox's own layer is not in it.
        QCOMPARE(f.inspectImage("multi:1")["RootFS"]["Layers"].size(), size_t(2));

        // --target builds the named stage only.
        auto t = f.build({"-t", "first:1", "--target", "build"});
        QVERIFY2(t.exitCode == 0, t.err.c_str());
        auto cat = f.berth({"run", "--rm", "first:1", "cat", "/out/artifact"});
        QCOMPARE(cat.out, std::string("built-in-stage-one\n"));
        QCOMPARE(f.mountsUnderStore(), size_t(0));
    }

    void contextRulesHeredocsArchivesOwners() {
        BuildFixture f;
        f.write("a.txt", "A\n");
        f.write("drop.log", "dropped\n");
        f.write("keep.log", "kept\n");
        f.write("tmp/junk", "junk\n");
        f.write("secret.txt", "s3cret\n");
        f.write(".dockerignore", "# comment\n*.log\n!keep.log\n/tmp\n");
        // An archive ADD unpacks.
        f.write("archive/inner/file", "from the archive\n");
        auto tar = runCommand({"tar", "-czf", (f.context() / "files.tar.gz").string(), "-C",
                               (f.context() / "archive").string(), "inner"});
        QCOMPARE(tar.exitCode, 0);
        std::filesystem::remove_all(f.context() / "archive");
        f.write("Dockerfile",
                "FROM busybox\n"
                "ENV FOO=bar\n"
                "COPY --chown=1234:5678 --chmod=0640 secret.txt /s/secret.txt\n"
                "COPY --chown=4321 a.txt /s/by-uid.txt\n"
                "COPY . /ctx/\n"
                "ADD files.tar.gz /unpacked/\n"
                "COPY <<EOF /etc/greeting\n"
                "hi $FOO\n"
                "EOF\n"
                "RUN <<EOF\n"
                "echo heredoc-run > /hr.txt\n"
                "EOF\n"
                "COPY *.txt /globbed/\n");
        auto r = f.build({"-t", "ctx:1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        auto ls = f.berth({"run", "--rm", "ctx:1", "sh", "-c", "cd /ctx && find . | sort"});
        QCOMPARE(ls.out, std::string(".\n./.dockerignore\n./Dockerfile\n./a.txt\n./files.tar.gz\n./keep.log\n./secret.txt\n"));
        auto st = f.berth({"run", "--rm", "ctx:1", "stat", "-c", "%u:%g %a", "/s/secret.txt"});
        QCOMPARE(st.out, std::string("1234:5678 640\n"));
        // A user without a group: the uid's number as gid, as Docker does.
        auto byName = f.berth({"run", "--rm", "ctx:1", "stat", "-c", "%u:%g", "/s/by-uid.txt"});
        QCOMPARE(byName.out, std::string("4321:4321\n"));
        auto cat = f.berth({"run", "--rm", "ctx:1", "cat", "/unpacked/inner/file", "/etc/greeting", "/hr.txt"});
        QCOMPARE(cat.out, std::string("from the archive\nhi bar\nheredoc-run\n"));
        auto glob = f.berth({"run", "--rm", "ctx:1", "ls", "/globbed"});
        QCOMPARE(glob.out, std::string("a.txt\nsecret.txt\n"));
    }

    void configInstructionsAndOnbuild() {
        BuildFixture f;
        f.write("Dockerfile",
                "FROM busybox\n"
                "MAINTAINER Jane <jane@example.org>\n"
                "SHELL [\"/bin/sh\", \"-ec\"]\n"
                "RUN echo shell-form-uses-SHELL\n"
                "ENTRYPOINT [\"/bin/echo\", \"ep\"]\n"
                "VOLUME /data /logs\n"
                "STOPSIGNAL quit\n"
                "HEALTHCHECK --interval=5s --retries=2 CMD wget -q localhost || exit 1\n"
                "EXPOSE 7000-7001/udp\n"
                "ONBUILD RUN echo triggered > /onbuild.txt\n");
        auto r = f.build({"-t", "parent:1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        auto j = f.inspectImage("parent:1");
        auto& c = j["Config"];
        QCOMPARE(j["Author"].get<std::string>(), std::string("Jane <jane@example.org>"));
        QCOMPARE(c["Shell"], nlohmann::json({"/bin/sh", "-ec"}));
        QCOMPARE(c["Entrypoint"], nlohmann::json({"/bin/echo", "ep"}));
        // ENTRYPOINT resets the CMD inherited from busybox.
        QVERIFY(c["Cmd"].is_null());
        QVERIFY(c["Volumes"].contains("/data") && c["Volumes"].contains("/logs"));
        QCOMPARE(c["StopSignal"].get<std::string>(), std::string("SIGQUIT"));
        QCOMPARE(c["Healthcheck"]["Test"], nlohmann::json({"CMD-SHELL", "wget -q localhost || exit 1"}));
        QCOMPARE(c["Healthcheck"]["Interval"].get<int64_t>(), int64_t(5'000'000'000));
        QCOMPARE(c["Healthcheck"]["Retries"].get<int>(), 2);
        QVERIFY(c["ExposedPorts"].contains("7000/udp") && c["ExposedPorts"].contains("7001/udp"));
        QCOMPARE(c["OnBuild"], nlohmann::json({"RUN echo triggered > /onbuild.txt"}));
        QCOMPARE(f.berth({"run", "--rm", "parent:1", "hello"}).out, std::string("ep hello\n"));

        // A child runs the trigger right after FROM, and does not pass it on.
        f.write("Dockerfile", "FROM parent:1\nENTRYPOINT []\n");
        auto child = f.build({"-t", "child:1"});
        QVERIFY2(child.exitCode == 0, child.err.c_str());
        QVERIFY(f.inspectImage("child:1")["Config"]["OnBuild"].is_null());
        QCOMPARE(f.berth({"run", "--rm", "child:1", "cat", "/onbuild.txt"}).out, std::string("triggered\n"));
    }

    void tarContextAndDockerfileFlag() {
        BuildFixture f;
        f.write("sub/Dockerfile.dev", "FROM busybox\nCOPY data /data\nCMD [\"cat\", \"/data\"]\n");
        f.write("data", "tarred context\n");
        auto archive = f.scratch() / "ctx.tar.gz";
        QCOMPARE(runCommand({"tar", "-czf", archive.string(), "-C", f.context().string(), "."}).exitCode, 0);
        auto r = f.berth({"build", "-t", "fromtar:1", "-f", "sub/Dockerfile.dev", archive.string()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(f.berth({"run", "--rm", "fromtar:1"}).out, std::string("tarred context\n"));
        // -f for a folder context is a path as given.
        auto r2 = f.berth({"build", "-t", "fromdir:1", "-f", (f.context() / "sub/Dockerfile.dev").string(),
                           f.context().string()});
        QVERIFY2(r2.exitCode == 0, r2.err.c_str());
        QCOMPARE(f.berth({"run", "--rm", "fromdir:1"}).out, std::string("tarred context\n"));
    }
};

BERTH_ROOT_TEST_MAIN(BuildImages)
#include "tst_build_images.moc"
