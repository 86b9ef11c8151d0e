// The skip mechanism (tests/support/skip.h) end to end, through skip_probe: a suite that
// skipped anything exits 77 (CTest: Skipped) and prints each skip with its reason; a
// failure wins over a skip and never exits 77; a suite with nothing skipped exits 0; under
// CI=true a skip is a failure naming the skip, a kernel-feature skip too unless listed in
// ci_allowed_skips.cpp; and that list holds kernel-feature entries only, each with a reason.
#include "skip.h"
#include "test_support.h"

#include <QtTest/QtTest>

using namespace berth::test;

class TestSkipMechanism : public QObject {
    Q_OBJECT

    static CommandResult probe(const std::string& modes, bool ci) {
        return runCommand({SKIP_PROBE_PATH}, 60000,
                          {"BERTH_SKIP_PROBE=" + modes, std::string("CI=") + (ci ? "true" : "false")});
    }
    static bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

private slots:
    void nothingSkippedPasses() {
        auto r = probe("", false);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!has(r.out, "BERTH-SKIP"), r.out.c_str());
    }

    void aSkipIsACtestSkipWithItsReason() {
        auto r = probe("skip", false);
        QCOMPARE(r.exitCode, 77);
        QVERIFY2(has(r.out, "BERTH-SKIP: SkipProbe::skips: the probe's program is not installed [missing program]"),
                 r.out.c_str());
        QVERIFY2(has(r.out, "PASS   : SkipProbe::passes()"), r.out.c_str());  // the rest ran
    }

    void aFailureWinsOverASkip() {
        auto r = probe("skip,fail", false);
        QVERIFY2(r.exitCode != 0 && r.exitCode != 77, r.out.c_str());
        QVERIFY2(has(r.out, "BERTH-SKIP: SkipProbe::skips"), r.out.c_str());
        QVERIFY2(has(r.out, "FAIL!  : SkipProbe::fails()"), r.out.c_str());
    }

    void underCiASkipFails() {
        auto r = probe("skip", true);
        QVERIFY2(r.exitCode != 0 && r.exitCode != 77, r.out.c_str());
        QVERIFY2(has(r.out, "skipped under CI=true"), r.out.c_str());
        QVERIFY2(has(r.out, "the probe's program is not installed"), r.out.c_str());
    }

    void underCiAnUnlistedKernelSkipFails() {
        auto r = probe("kernel", true);
        QVERIFY2(r.exitCode != 0 && r.exitCode != 77, r.out.c_str());
        auto local = probe("kernel", false);
        QCOMPARE(local.exitCode, 77);
    }

    void theCiListHoldsKernelFeaturesWithReasons() {
        for (const auto& a : ciAllowedSkips()) {
            QVERIFY2(!a.reason.empty(), (a.suite + "::" + a.function).c_str());
            QVERIFY(!ciAllowedSkip(a.suite, a.function, SkipKind::KernelFeature).empty());
            // Only as a kernel-feature skip: the same function skipping for a missing
            // program still fails under CI.
            QVERIFY(ciAllowedSkip(a.suite, a.function, SkipKind::MissingProgram).empty());
            QVERIFY(ciAllowedSkip(a.suite, a.function, SkipKind::NeedsRoot).empty());
        }
        QVERIFY(ciAllowedSkip("SkipProbe", "kernelSkips", SkipKind::KernelFeature).empty());
    }
};

BERTH_GUILESS_TEST_MAIN(TestSkipMechanism)
#include "tst_skip_mechanism.moc"
