// -p specs as docker spells them (through the container layer's parser the CLI uses), and
// the /etc/hosts section the network layer writes for a container and its peers.
#include "skip.h"
#include "container/container_options.h"
#include "network/endpoint_wiring.h"

#include <QtTest/QtTest>

using namespace berth;
using berth::container::parsePortSpec;

class TestNetworkSpec : public QObject {
    Q_OBJECT

private slots:
    void portSpecs() {
        auto one = parsePortSpec("8080:80");
        QVERIFY(one);
        QCOMPARE(one->size(), size_t(1));
        QCOMPARE(one->at(0).hostPort, uint16_t(8080));
        QCOMPARE(one->at(0).containerPort, uint16_t(80));
        QCOMPARE(QString::fromStdString(one->at(0).protocol), QString("tcp"));
        auto ip = parsePortSpec("127.0.0.1:8080:80/udp");
        QVERIFY(ip);
        QCOMPARE(QString::fromStdString(ip->at(0).hostIp), QString("127.0.0.1"));
        QCOMPARE(QString::fromStdString(ip->at(0).protocol), QString("udp"));
        auto eph = parsePortSpec("80");
        QVERIFY(eph);
        QCOMPARE(eph->at(0).hostPort, uint16_t(0));
        auto ephIp = parsePortSpec("127.0.0.1::80");
        QVERIFY(ephIp);
        QCOMPARE(ephIp->at(0).hostPort, uint16_t(0));
        QCOMPARE(QString::fromStdString(ephIp->at(0).hostIp), QString("127.0.0.1"));
        auto range = parsePortSpec("8000-8001:80-81");
        QVERIFY(range);
        QCOMPARE(range->size(), size_t(2));
        QCOMPARE(range->at(1).hostPort, uint16_t(8001));
        QCOMPARE(range->at(1).containerPort, uint16_t(81));
    }

    void malformedPortSpecs() {
        for (const char* bad : {"", "abc", "8080:", "8080:80/sctpx", "70000:80", "8080:0",
                                "8000-8002:80-81"}) {
            auto r = parsePortSpec(bad);
            QVERIFY2(!r, bad);
            QCOMPARE(r.error().code(), Errc::InvalidArgument);
            QVERIFY(!r.error().message().empty());
        }
    }

    void hostsSectionNamesPeers() {
        using namespace berth::network;
        RuntimeState st;
        auto ep = [](std::string id, std::string name, std::string ip, std::string net, std::vector<std::string> aliases) {
            Endpoint e;
            e.containerId = id;
            e.name = name;
            e.hostname = id.substr(0, 12);
            Attachment a;
            a.networkId = net;
            a.ip = *parseIpv4(ip);
            a.prefix = 24;
            a.aliases = aliases;
            a.resolvesPeers = true;
            e.attachments.push_back(a);
            return e;
        };
        std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
        st.endpoints[a] = ep(a, "web", "10.90.0.2", "n1", {});
        st.endpoints[b] = ep(b, "db", "10.90.0.3", "n1", {"database"});
        st.endpoints[c] = ep(c, "other", "10.91.0.2", "n2", {});
        auto section = hostsSection(st, st.endpoints[a]);
        QVERIFY2(section.find("10.90.0.2\taaaaaaaaaaaa web\n") != std::string::npos, section.c_str());
        QVERIFY2(section.find("10.90.0.3\tdb bbbbbbbbbbbb database\n") != std::string::npos, section.c_str());
        QVERIFY2(section.find("other") == std::string::npos, section.c_str());  // not on n1

        std::string base = "127.0.0.1\tlocalhost\n127.0.1.1\taaaaaaaaaaaa\n";
        auto once = replaceHostsSection(base, section, true);
        QVERIFY(once.find("127.0.1.1") == std::string::npos);
        QVERIFY(once.find("127.0.0.1\tlocalhost\n") == 0);
        // Rewriting replaces the section instead of appending another one.
        auto twice = replaceHostsSection(once, "10.90.0.9\tx\n", true);
        QVERIFY(twice.find("db") == std::string::npos);
        QVERIFY(twice.find("10.90.0.9\tx\n") != std::string::npos);
        QCOMPARE(twice.find("# berth:"), twice.rfind("# berth:"));
    }
};

BERTH_GUILESS_TEST_MAIN(TestNetworkSpec)
#include "tst_network_spec.moc"
