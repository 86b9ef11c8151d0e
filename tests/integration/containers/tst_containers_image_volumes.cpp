// The image's VOLUMEs (issue 20), as docker does them: each path no -v/--mount/--tmpfs covers
// gets an anonymous volume at create, filled from the image's content at that path (owners
// and modes kept) when first mounted empty, listed in inspect's Mounts, kept across restarts
// and removed by `rm -v` and `run --rm`; a named volume given for the path is filled once.
// The image is made here with `berth commit -c 'VOLUME /data'`.
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <sstream>

using namespace berth::test;

class ContainersImageVolumes : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

    // busybox with /data/f (owner 1:2, mode 640) in /data (mode 750), declared VOLUME /data.
    void makeVolumeImage() {
        auto r = s->berth({"run", "--name", "src", "busybox", "sh", "-c",
                           "mkdir /data && echo hello > /data/f && chown 1:2 /data/f && chmod 640 /data/f && "
                           "chmod 750 /data"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        r = s->berth({"commit", "-c", "VOLUME /data", "src", "withvol"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(s->berth({"rm", "src"}).exitCode, 0);
    }
    std::vector<std::string> volumes() {
        std::vector<std::string> out;
        std::istringstream in(s->berth({"volume", "ls", "-q"}).out);
        for (std::string l; std::getline(in, l);)
            if (!l.empty()) out.push_back(l);
        std::sort(out.begin(), out.end());
        return out;
    }

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void anonymousVolumeFilledKeptAndRemoved() {
        makeVolumeImage();
        const std::string script = "cat /data/f; stat -c '%u:%g %a' /data/f /data; echo more >> /data/f";
        auto r = s->berth({"run", "--name", "c1", "withvol", "sh", "-c", script});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string("hello\n1:2 640\n0:0 750"));
        auto vols = volumes();
        QCOMPARE(vols.size(), size_t(1));
        auto mounts = s->inspect("c1")["Mounts"];
        QCOMPARE(mounts.size(), size_t(1));
        QCOMPARE(mounts[0]["Type"].get<std::string>(), std::string("volume"));
        QCOMPARE(mounts[0]["Destination"].get<std::string>(), std::string("/data"));
        QCOMPARE(mounts[0]["Name"].get<std::string>(), vols[0]);
        QCOMPARE(mounts[0]["RW"].get<bool>(), true);
        // Restarted: the same volume, the write kept, nothing copied over it again.
        r = s->berth({"start", "-a", "c1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string("hello\nmore\n1:2 640\n0:0 750"));
        QCOMPARE(volumes(), vols);
        // The image itself is unchanged: a second container gets a fresh copy.
        r = s->berth({"run", "--rm", "withvol", "cat", "/data/f"});
        QCOMPARE(trimmed(r.out), std::string("hello"));
        QCOMPARE(volumes(), vols);  // --rm took its own anonymous volume with it
        QCOMPARE(s->berth({"rm", "-v", "c1"}).exitCode, 0);
        QCOMPARE(volumes(), std::vector<std::string>());
    }

    void rmWithoutVolumesKeepsIt() {
        makeVolumeImage();
        QCOMPARE(s->berth({"create", "--name", "c2", "withvol", "true"}).exitCode, 0);
        QCOMPARE(volumes().size(), size_t(1));  // made at create
        QCOMPARE(s->berth({"rm", "c2"}).exitCode, 0);
        QCOMPARE(volumes().size(), size_t(1));  // docker keeps it without -v
    }

    void namedVolumeFilledOnce() {
        makeVolumeImage();
        auto r = s->berth({"run", "--rm", "-v", "named:/data", "withvol", "sh", "-c", "cat /data/f; echo changed > /data/f"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string("hello"));
        QCOMPARE(volumes(), std::vector<std::string>{"named"});  // no anonymous volume beside it
        r = s->berth({"run", "--rm", "-v", "named:/data", "withvol", "cat", "/data/f"});
        QCOMPARE(trimmed(r.out), std::string("changed"));  // not filled again
        QCOMPARE(volumes(), std::vector<std::string>{"named"});  // --rm keeps named volumes
    }

    void otherMountsCoverThePath() {
        makeVolumeImage();
        TempDir host;
        writeFile(host.path() / "hostfile", "from host\n");
        auto r = s->berth({"run", "--rm", "-v", host.path().string() + ":/data", "withvol", "ls", "/data"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string("hostfile"));  // a bind is never filled from the image
        r = s->berth({"run", "--rm", "--tmpfs", "/data", "withvol", "ls", "/data"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string());
        r = s->berth({"run", "--rm", "--mount", "type=volume,target=/data/,volume-nocopy", "withvol", "ls", "/data"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(trimmed(r.out), std::string());  // nocopy: left empty
        QCOMPARE(volumes(), std::vector<std::string>());
    }
};

BERTH_ROOT_TEST_MAIN(ContainersImageVolumes)
#include "tst_containers_image_volumes.moc"
