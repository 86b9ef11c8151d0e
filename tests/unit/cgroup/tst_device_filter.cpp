// The v2 device filter: rule parsing, and the compiled eBPF program run by a small
// interpreter of the instructions it uses, over Docker's default list and custom rules.

#include "skip.h"
#include "cgroup/device_filter.h"
#include "cgroup/resources.h"

#include <QtTest/QtTest>

#include <optional>

using namespace berth;
using namespace berth::cgroup;

namespace {

// Runs the program on one access; nullopt when it uses an instruction we do not emulate
// or runs off its end.
std::optional<uint64_t> run(const std::vector<bpf_insn>& prog, uint32_t type, uint32_t access,
                            uint32_t major, uint32_t minor) {
    uint32_t ctx[3] = {(access << 16) | type, major, minor};
    uint64_t r[11] = {};
    for (size_t pc = 0; pc < prog.size(); ++pc) {
        const bpf_insn& i = prog[pc];
        uint64_t imm = uint64_t(int64_t(i.imm));
        switch (i.code) {
        case BPF_LDX | BPF_MEM | BPF_W:
            if (i.src_reg != 1 || i.off < 0 || i.off > 8 || i.off % 4) return std::nullopt;
            r[i.dst_reg] = ctx[i.off / 4];
            break;
        case BPF_ALU64 | BPF_AND | BPF_K: r[i.dst_reg] &= imm; break;
        case BPF_ALU64 | BPF_RSH | BPF_K: r[i.dst_reg] >>= i.imm; break;
        case BPF_ALU64 | BPF_MOV | BPF_X: r[i.dst_reg] = r[i.src_reg]; break;
        case BPF_ALU64 | BPF_MOV | BPF_K: r[i.dst_reg] = imm; break;
        case BPF_JMP | BPF_JNE | BPF_K:
            if (r[i.dst_reg] != imm) pc += size_t(i.off);
            break;
        case BPF_JMP | BPF_EXIT: return r[0];
        default: return std::nullopt;
        }
    }
    return std::nullopt;
}

std::vector<bpf_insn> program(std::initializer_list<const char*> texts) {
    std::vector<DeviceRule> rules;
    for (const char* t : texts) {
        auto r = parseDeviceRule(t);
        if (!r) qFatal("parse %s: %s", t, r.error().message().c_str());
        rules.push_back(*r);
    }
    return compileDeviceFilter(rules);
}

constexpr uint32_t C = BPF_DEVCG_DEV_CHAR, B = BPF_DEVCG_DEV_BLOCK;
constexpr uint32_t M = BPF_DEVCG_ACC_MKNOD, R = BPF_DEVCG_ACC_READ, W = BPF_DEVCG_ACC_WRITE;

} // namespace

class TestDeviceFilter : public QObject {
    Q_OBJECT

private slots:
    void parsesRules() {
        auto r = parseDeviceRule("c 1:3 rwm");
        QVERIFY(r);
        QCOMPARE(r->type, 'c');
        QCOMPARE(r->major, int64_t(1));
        QCOMPARE(r->minor, int64_t(3));
        QCOMPARE(r->access, M | R | W);
        auto any = parseDeviceRule("b *:* m");
        QVERIFY(any);
        QCOMPARE(any->type, 'b');
        QCOMPARE(any->major, int64_t(-1));
        QCOMPARE(any->minor, int64_t(-1));
        QCOMPARE(any->access, M);
        auto all = parseDeviceRule("a");
        QVERIFY(all);
        QCOMPARE(all->type, 'a');
        QCOMPARE(all->access, M | R | W);
    }

    void rejectsBadRules_data() {
        QTest::addColumn<QString>("text");
        for (const char* t : {"", "x 1:3 r", "c 1:3", "c a:3 r", "c 1:3 rx", "c 1-3 r", "c 1: r", "c1:3 r"})
            QTest::newRow(t) << t;
    }
    void rejectsBadRules() {
        QFETCH(QString, text);
        auto r = parseDeviceRule(text.toStdString());
        QVERIFY(!r);
        QCOMPARE(r.error().code(), Errc::InvalidArgument);
    }

    void defaultListDecisions_data() {
        QTest::addColumn<uint>("type");
        QTest::addColumn<uint>("access");
        QTest::addColumn<uint>("major");
        QTest::addColumn<uint>("minor");
        QTest::addColumn<qulonglong>("allowed");
        QTest::newRow("read /dev/null") << C << R << 1u << 3u << 1ull;
        QTest::newRow("write /dev/null") << C << W << 1u << 3u << 1ull;
        QTest::newRow("rw /dev/urandom") << C << (R | W) << 1u << 9u << 1ull;
        QTest::newRow("read /dev/kmsg") << C << R << 1u << 11u << 0ull;
        QTest::newRow("mknod /dev/kmsg") << C << M << 1u << 11u << 1ull;
        QTest::newRow("read a disk") << B << R << 254u << 0u << 0ull;
        QTest::newRow("write a disk") << B << W << 8u << 0u << 0ull;
        QTest::newRow("mknod a disk") << B << M << 8u << 0u << 1ull;
        QTest::newRow("pts 5") << C << (R | W) << 136u << 5u << 1ull;
        QTest::newRow("ptmx") << C << (R | W) << 5u << 2u << 1ull;
        QTest::newRow("tun") << C << R << 10u << 200u << 1ull;
        QTest::newRow("fuse") << C << R << 10u << 229u << 0ull;
        QTest::newRow("mknod+read kmsg") << C << (M | R) << 1u << 11u << 0ull;
    }
    void defaultListDecisions() {
        QFETCH(uint, type);
        QFETCH(uint, access);
        QFETCH(uint, major);
        QFETCH(uint, minor);
        QFETCH(qulonglong, allowed);
        std::vector<DeviceRule> rules;
        for (const char* t : kDefaultDeviceRules) rules.push_back(*parseDeviceRule(t));
        auto prog = compileDeviceFilter(rules);
        auto got = run(prog, type, access, major, minor);
        QVERIFY(got.has_value());
        QCOMPARE(*got, uint64_t(allowed));
    }

    void wildcardMinorAndPartialAccess() {
        auto prog = program({"c 4:* r"});
        QCOMPARE(run(prog, C, R, 4, 7).value_or(9), uint64_t(1));
        QCOMPARE(run(prog, C, W, 4, 7).value_or(9), uint64_t(0));
        QCOMPARE(run(prog, C, R, 5, 7).value_or(9), uint64_t(0));
        QCOMPARE(run(prog, B, R, 4, 7).value_or(9), uint64_t(0));
    }

    void emptyListDeniesAll() {
        auto prog = program({});
        QCOMPARE(run(prog, C, R, 1, 3).value_or(9), uint64_t(0));
    }

    void allowAllRule() {
        auto prog = program({"a"});
        QCOMPARE(run(prog, B, R | W | M, 8, 0).value_or(9), uint64_t(1));
    }
};

BERTH_GUILESS_TEST_MAIN(TestDeviceFilter)
#include "tst_device_filter.moc"
