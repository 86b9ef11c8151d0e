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
    "  eth0:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0\n"
    "  eth1:      10       1    0    0    0     0          0         0       20       2    0    0    0     0       0          0\n";

} // namespace

class TestNetDev : public QObject {
    Q_OBJECT

private slots:
    void netDevSkipsLoopback() {
        uint64_t rx = 0, tx = 0;
        QVERIFY(parseNetDev(kNetDev, rx, tx));
        QCOMPARE(rx, uint64_t(1010));
        QCOMPARE(tx, uint64_t(2020));
    }

    void netDevOnlyLoopbackIsZero() {
        std::string text(kNetDev);
        text = text.substr(0, text.find("  eth0"));
        uint64_t rx = 1, tx = 1;
        QVERIFY(parseNetDev(text, rx, tx));
        QCOMPARE(rx, uint64_t(0));
        QCOMPARE(tx, uint64_t(0));
    }

    void netDevGarbageRejected() {
        uint64_t rx, tx;
        QVERIFY(!parseNetDev("hello\nworld\n", rx, tx));
        std::string truncated = std::string(kNetDev).substr(0, std::string(kNetDev).find("  eth1")) + "  eth1: 5 6\n";
        QVERIFY(!parseNetDev(truncated, rx, tx));
    }
};

BERTH_GUILESS_TEST_MAIN(TestNetDev)
#include "tst_net_dev.moc"
