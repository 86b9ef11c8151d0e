// IPAM: addresses and subnets parsed strictly, overlap detected, allocation skipping the
// network, gateway, broadcast and leased addresses (round robin after the last one), the
// host-wide lease registry two stores share, and the store's state round-trip.
#include "skip.h"
#include "network/ipv4.h"
#include "network/lease_registry.h"
#include "network/nft_netlink.h"
#include "network/network_store.h"
#include "store/layout.h"

#include "test_support.h"

#include <QtTest/QtTest>

#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace berth;
using namespace berth::network;

class TestNetworkIpam : public QObject {
    Q_OBJECT

private slots:
    void parsesAddresses() {
        auto a = parseIpv4("10.77.0.2");
        QVERIFY(a);
        QCOMPARE(a->value, 0x0a4d0002u);
        QCOMPARE(QString::fromStdString(a->str()), QString("10.77.0.2"));
        for (const char* bad : {"", "10.77.0", "10.77.0.256", "10.77.0.2.1", "10.077.0.1", "a.b.c.d", "10.77.0.-1", " 10.0.0.1"}) {
            auto r = parseIpv4(bad);
            QVERIFY2(!r, bad);
            QCOMPARE(r.error().code(), Errc::InvalidArgument);
        }
    }

    void parsesSubnets() {
        auto s = parseSubnet("10.90.1.0/24");
        QVERIFY(s);
        QCOMPARE(s->prefix, 24);
        QCOMPARE(QString::fromStdString(s->first().str()), QString("10.90.1.1"));
        QCOMPARE(QString::fromStdString(s->broadcast().str()), QString("10.90.1.255"));
        auto hostBits = parseSubnet("10.90.1.7/24");
        QVERIFY(!hostBits);
        QVERIFY2(hostBits.error().message().find("did you mean 10.90.1.0/24") != std::string::npos,
                 hostBits.error().message().c_str());
        for (const char* bad : {"10.90.1.0", "10.90.1.0/", "10.90.1.0/33", "10.90.1.0/-1", "10.90.1.0/24x", "10.90.1.0/31"})
            QVERIFY2(!parseSubnet(bad), bad);
    }

    void detectsOverlap() {
        auto a = *parseSubnet("10.77.0.0/16");
        auto b = *parseSubnet("10.77.5.0/24");
        auto c = *parseSubnet("10.78.0.0/24");
        QVERIFY(a.overlaps(b));
        QVERIFY(b.overlaps(a));
        QVERIFY(!a.overlaps(c));
        QVERIFY(!b.overlaps(c));
        QVERIFY(a.contains(*parseIpv4("10.77.255.1")));
        QVERIFY(!b.contains(*parseIpv4("10.77.6.1")));
    }

    void allocatesLowestFree() {
        auto s = *parseSubnet("10.90.0.0/29");  // .1 .. .6 usable
        Ipv4 gw = s.first();
        std::set<Ipv4> used;
        std::vector<std::string> got;
        for (int i = 0; i < 5; ++i) {
            auto a = allocateAddress(s, gw, used);
            QVERIFY(a);
            got.push_back(a->str());
            used.insert(*a);
        }
        QCOMPARE(got, (std::vector<std::string>{"10.90.0.2", "10.90.0.3", "10.90.0.4", "10.90.0.5", "10.90.0.6"}));
        auto full = allocateAddress(s, gw, used);
        QVERIFY(!full);
        QCOMPARE(full.error().code(), Errc::Conflict);
        // A released address is handed out again, before higher ones.
        used.erase(*parseIpv4("10.90.0.3"));
        QCOMPARE(QString::fromStdString(allocateAddress(s, gw, used)->str()), QString("10.90.0.3"));
    }

    void allocatesAfterTheLastOneAndWraps() {
        auto s = *parseSubnet("10.90.0.0/29");  // .2 .. .6 usable (.1 is the gateway)
        Ipv4 gw = s.first();
        std::set<Ipv4> used{*parseIpv4("10.90.0.5")};
        QCOMPARE(QString::fromStdString(allocateAddress(s, gw, used, *parseIpv4("10.90.0.3"))->str()), QString("10.90.0.4"));
        QCOMPARE(QString::fromStdString(allocateAddress(s, gw, used, *parseIpv4("10.90.0.4"))->str()), QString("10.90.0.6"));
        // After the highest: wraps to the lowest free one.
        QCOMPARE(QString::fromStdString(allocateAddress(s, gw, used, *parseIpv4("10.90.0.6"))->str()), QString("10.90.0.2"));
        // A hint outside the subnet counts as none.
        QCOMPARE(QString::fromStdString(allocateAddress(s, gw, used, *parseIpv4("10.1.0.9"))->str()), QString("10.90.0.2"));
    }

    void twoStoresSharingABridgeNeverGetOneAddress() {
        test::TempDir dir;
        LeaseRegistry reg(dir.path() / "leases");
        auto s = *parseSubnet("10.90.0.0/29");
        Ipv4 gw = s.first();
        LeaseOwner a{std::string(64, 'a'), dir.path() / "storeA"};
        LeaseOwner b{std::string(64, 'b'), dir.path() / "storeB"};
        // Each store starts from its own hint (both none): the second one skips the first's.
        auto ipA = reg.claimFree("bt0", s, gw, {}, {}, a);
        auto ipB = reg.claimFree("bt0", s, gw, {}, {}, b);
        QVERIFY(ipA && ipB);
        QCOMPARE(QString::fromStdString(ipA->str()), QString("10.90.0.2"));
        QCOMPARE(QString::fromStdString(ipB->str()), QString("10.90.0.3"));
        // An exact request for the other's address is refused, naming the holder.
        auto taken = reg.claim("bt0", *ipA, b);
        QVERIFY(!taken);
        QCOMPARE(taken.error().code(), Errc::Conflict);
        QVERIFY2(taken.error().message().find(std::string(12, 'a')) != std::string::npos, taken.error().message().c_str());
        // The holder asking again is fine (idempotent).
        QVERIFY(reg.claim("bt0", *ipA, a));
        // A release by a container that does not hold the lease changes nothing.
        reg.release("bt0", *ipA, b.containerId);
        QVERIFY(reg.leased("bt0").contains(*ipA));
        // Another bridge is another address space.
        auto other = reg.claimFree("bt1", s, gw, {}, {}, b);
        QCOMPARE(QString::fromStdString(other->str()), QString("10.90.0.2"));
        reg.release("bt0", *ipA, a.containerId);
        reg.release("bt0", *ipB, b.containerId);
        reg.release("bt1", *other, b.containerId);
        QVERIFY(reg.leased("bt0").empty());
        // The last release leaves no directory behind.
        QVERIFY(!std::filesystem::exists(reg.dir() / "bt0"));
        QVERIFY(!std::filesystem::exists(reg.dir() / "bt1"));
    }

    void concurrentClaimsAreDistinct() {
        test::TempDir dir;
        LeaseRegistry reg(dir.path() / "leases");
        auto s = *parseSubnet("10.90.0.0/24");
        // Eight processes claim four addresses each at the same time, all from the same hint.
        std::vector<pid_t> kids;
        for (int k = 0; k < 8; ++k) {
            pid_t p = ::fork();
            if (p == 0) {
                for (int i = 0; i < 4; ++i) {
                    char n[8];
                    std::snprintf(n, sizeof n, "%02x", k * 4 + i);
                    LeaseOwner o{n + std::string(62, 'c'), dir.path() / "store"};
                    if (!reg.claimFree("bt0", s, s.first(), {}, {}, o)) ::_exit(1);
                }
                ::_exit(0);
            }
            kids.push_back(p);
        }
        for (pid_t p : kids) {
            int status = 0;
            ::waitpid(p, &status, 0);
            QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
        // 32 claims, 32 distinct lease files, one owner each.
        auto leased = reg.leased("bt0");
        QCOMPARE(leased.size(), size_t(32));
        std::set<std::string> owners;
        for (auto ip : leased) {
            std::ifstream f(reg.dir() / "bt0" / ip.str());
            std::string id;
            std::getline(f, id);
            owners.insert(id);
        }
        QCOMPARE(owners.size(), size_t(32));
    }

    void staleLeasesAreSweptWhenTheSubnetIsFull() {
        test::TempDir dir;
        LeaseRegistry reg(dir.path() / "leases");
        auto s = *parseSubnet("10.90.0.0/30");  // one usable address besides the gateway: .2
        Ipv4 gw = s.first();
        // A container of a store that no longer knows it (its state lists nothing).
        store::StoreLayout gone{dir.path() / "goneRoot", dir.path() / "goneRun"};
        LeaseOwner old{std::string(64, 'd'), gone.runRoot};
        QVERIFY(reg.claimFree("bt0", s, gw, {}, {}, old));
        LeaseOwner fresh{std::string(64, 'e'), dir.path() / "run"};
        // A young lease is never taken: a start claims before its store records it.
        auto full = reg.claimFree("bt0", s, gw, {}, {}, fresh);
        QVERIFY(!full);
        QCOMPARE(full.error().code(), Errc::Conflict);
        // Once old, and its store does not list it: swept, and the address is free again.
        auto path = reg.dir() / "bt0" / "10.90.0.2";
        timespec times[2] = {{::time(nullptr) - 3600, 0}, {::time(nullptr) - 3600, 0}};
        QCOMPARE(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
        // ...unless its store still lists it there.
        NetworkStore oldStore(gone);
        RuntimeState st;
        Endpoint e;
        e.containerId = old.containerId;
        Attachment a;
        a.bridge = "bt0";
        a.ip = *parseIpv4("10.90.0.2");
        e.attachments.push_back(a);
        st.endpoints[e.containerId] = e;
        QVERIFY(oldStore.saveState(st));
        QVERIFY(!reg.claimFree("bt0", s, gw, {}, {}, fresh));
        st.endpoints.clear();
        QVERIFY(oldStore.saveState(st));
        auto got = reg.claimFree("bt0", s, gw, {}, {}, fresh);
        QVERIFY(got);
        QCOMPARE(QString::fromStdString(got->str()), QString("10.90.0.2"));
        std::ifstream f(path);
        std::string id;
        std::getline(f, id);
        QCOMPARE(id, fresh.containerId);
    }

    // A start killed between its claim and the save of its endpoint (the soak found two in
    // 1,000 runs under kill -9): the container's removal gives back what no endpoint names,
    // on every bridge, and nobody else's.
    void leasesOfARemovedContainerGoOnEveryBridge() {
        test::TempDir dir;
        LeaseRegistry reg(dir.path() / "leases");
        auto s = *parseSubnet("10.90.0.0/29");
        Ipv4 gw = s.first();
        LeaseOwner killed{std::string(64, 'a'), dir.path() / "run"};
        LeaseOwner sameIdOtherStore{killed.containerId, dir.path() / "otherRun"};
        LeaseOwner neighbour{std::string(64, 'b'), dir.path() / "run"};
        QVERIFY(reg.claimFree("bt0", s, gw, {}, {}, killed));
        QVERIFY(reg.claimFree("bt1", s, gw, {}, {}, killed));
        auto kept1 = reg.claimFree("bt0", s, gw, {}, {}, neighbour);
        auto kept2 = reg.claimFree("bt1", s, gw, {}, {}, sameIdOtherStore);
        QVERIFY(kept1 && kept2);
        QCOMPARE(reg.releaseAllOf(killed.containerId, killed.runRoot), 2);
        QVERIFY(reg.leased("bt0") == std::set<Ipv4>{*kept1});
        QVERIFY(reg.leased("bt1") == std::set<Ipv4>{*kept2});
        QCOMPARE(reg.releaseAllOf(killed.containerId, killed.runRoot), 0);
        QCOMPARE(LeaseRegistry(dir.path() / "none").releaseAllOf(killed.containerId, killed.runRoot), 0);
    }

    void nftKeysAreLaidOutInRegisters() {
        // As nft stores a concatenation: each field in a 4-byte register, network order.
        PortMapping any{{"", 8080, 80, "tcp"}, *parseIpv4("10.77.0.2")};
        QCOMPARE(QByteArray::fromStdString(nftnl::portKeyBytes(any)).toHex(), QByteArray("060000001f900000"));
        PortMapping ip{{"127.0.0.1", 53, 53, "udp"}, *parseIpv4("10.77.0.2")};
        QCOMPARE(QByteArray::fromStdString(nftnl::portKeyBytes(ip)).toHex(), QByteArray("7f000001110000000035" "0000"));
    }

    void macFollowsAddress() {
        QCOMPARE(QString::fromStdString(macForAddress(*parseIpv4("10.77.0.2"))), QString("02:42:0a:4d:00:02"));
    }

    void stateRoundTrips() {
        test::TempDir dir;
        store::StoreLayout layout{dir.path() / "root", dir.path() / "run"};
        NetworkStore st(layout);
        RuntimeState s;
        Endpoint e;
        e.containerId = std::string(64, 'a');
        e.name = "web";
        e.hostname = "aaaaaaaaaaaa";
        Attachment a;
        a.networkId = std::string(64, 'b');
        a.networkName = "front";
        a.bridge = "br-bbbbbbbbbbbb";
        a.ip = *parseIpv4("10.90.0.2");
        a.prefix = 24;
        a.gateway = *parseIpv4("10.90.0.1");
        a.hostIf = "vbaaaaaaaaaa";
        a.ifname = "eth0";
        a.aliases = {"www"};
        a.resolvesPeers = true;
        e.attachments.push_back(a);
        e.ports.push_back({{"127.0.0.1", 8080, 80, "tcp"}, a.ip});
        s.endpoints[e.containerId] = e;
        QVERIFY(st.saveState(s));
        auto back = st.loadState();
        QVERIFY(back);
        QCOMPARE(back->endpoints.size(), size_t(1));
        auto& b = back->endpoints.begin()->second;
        QCOMPARE(QString::fromStdString(b.attachments.at(0).ip.str()), QString("10.90.0.2"));
        QCOMPARE(b.attachments.at(0).aliases, std::vector<std::string>{"www"});
        QCOMPARE(b.ports.at(0).port.hostPort, uint16_t(8080));
        QCOMPARE(QString::fromStdString(b.ports.at(0).target.str()), QString("10.90.0.2"));
        // The round-robin hints too.
        s.lastLeased["br-bbbbbbbbbbbb"] = *parseIpv4("10.90.0.7");
        QVERIFY(st.saveState(s));
        back = st.loadState();
        QCOMPARE(QString::fromStdString(back->lastLeased.at("br-bbbbbbbbbbbb").str()), QString("10.90.0.7"));
    }

    void configIsValidated() {
        test::TempDir dir;
        store::StoreLayout layout{dir.path() / "root", dir.path() / "run"};
        std::filesystem::create_directories(layout.root / "networks");
        NetworkStore st(layout);
        auto def = st.config();
        QVERIFY(def);
        QCOMPARE(QString::fromStdString(def->bridgeSubnet.str()), QString("10.77.0.0/16"));
        QCOMPARE(QString::fromStdString(def->bridgeName), QString("berth0"));
        auto write = [&](const std::string& text) { std::ofstream(layout.root / "networks" / "config.json") << text; };
        write(R"({"bridgeName": "bt1", "bridgeSubnet": "10.91.0.0/24", "nftTable": "berth_t1"})");
        auto c = st.config();
        QVERIFY(c);
        QCOMPARE(QString::fromStdString(c->bridgeName), QString("bt1"));
        QCOMPARE(QString::fromStdString(c->bridgeSubnet.str()), QString("10.91.0.0/24"));
        auto defs = st.definitions();
        QVERIFY(defs);
        QCOMPARE(QString::fromStdString(defs->at(0).gateway.str()), QString("10.91.0.1"));
        write(R"({"bridgeSubnet": "10.91.0.1/24"})");
        QVERIFY(!st.config());
        write(R"({"nftTable": "x; flush ruleset"})");
        auto bad = st.config();
        QVERIFY(!bad);
        QCOMPARE(bad.error().code(), Errc::InvalidArgument);
        write(R"({"bridgeName": "a-name-longer-than-15"})");
        QVERIFY(!st.config());
        write("not json");
        QVERIFY(!st.config());
    }
};

BERTH_GUILESS_TEST_MAIN(TestNetworkIpam)
#include "tst_network_ipam.moc"
