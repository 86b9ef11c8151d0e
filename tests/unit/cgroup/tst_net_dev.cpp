// A container's network counters from /proc/<pid>/net/dev: lo left out of the totals,
// anything not in that format refused.

#include "skip.h"
#include "cgroup/net_dev.h"

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::cgroup;

namespace {

const char* kNetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
    "    lo:  999999     100    0    0    0     0          0         0   999999     100    0    0    0     0       0          0\n"
    "  eth0:    1000      10    3    4    0     0          0         0     2000      20    5    6    0     0       0          0\n"
    "  eth1:      10       1    1    1    0     0          0         0       20       2    1    1    0     0       0          0\n";

} // namespace

class TestNetDev : public QObject {
    Q_OBJECT

private slots:
    void netDevSkipsLoopback() {
        NetDevCounters c;
        QVERIFY(parseNetDev(kNetDev, c));
        QCOMPARE(c.rxBytes, uint64_t(1010));
        QCOMPARE(c.txBytes, uint64_t(2020));
    }

    // docker's rx/tx packets, errors and dropped: fields 1-3 and 9-11 of each line, summed.
    void netDevPacketCounters() {
        NetDevCounters c;
        QVERIFY(parseNetDev(kNetDev, c));
        QCOMPARE(c.rxPackets, uint64_t(11));
        QCOMPARE(c.rxErrors, uint64_t(4));
        QCOMPARE(c.rxDropped, uint64_t(5));
        QCOMPARE(c.txPackets, uint64_t(22));
        QCOMPARE(c.txErrors, uint64_t(6));
        QCOMPARE(c.txDropped, uint64_t(7));
    }

    void netDevOnlyLoopbackIsZero() {
        std::string text(kNetDev);
        text = text.substr(0, text.find("  eth0"));
        NetDevCounters c;
        c.rxBytes = c.txPackets = 1;
        QVERIFY(parseNetDev(text, c));
        QCOMPARE(c.rxBytes, uint64_t(0));
        QCOMPARE(c.txPackets, uint64_t(0));
    }

    void netDevGarbageRejected() {
        NetDevCounters c;
        QVERIFY(!parseNetDev("hello\nworld\n", c));
        std::string truncated = std::string(kNetDev).substr(0, std::string(kNetDev).find("  eth1")) + "  eth1: 5 6\n";
        QVERIFY(!parseNetDev(truncated, c));
        // A line cut after the transmitted bytes has no packet counters: refused too.
        std::string cut = std::string(kNetDev).substr(0, std::string(kNetDev).find("  eth1")) + "  eth1: 1 2 3 4 5 6 7 8 9 10\n";
        QVERIFY(!parseNetDev(cut, c));
    }
};

BERTH_GUILESS_TEST_MAIN(TestNetDev)
#include "tst_net_dev.moc"
