// A suite for tst_skip_mechanism to run: what it does is chosen by BERTH_SKIP_PROBE, a
// comma-separated list of: skip (a missing-program skip), kernel (a kernel-feature skip
// that ci_allowed_skips.cpp does not list), fail (a failing function). Its other function
// passes when the list names only those (a misspelt mode would otherwise test nothing).
#include "skip.h"

#include <QtTest/QtTest>

#include <cstdlib>
#include <string>

namespace {
bool probe(const char* what) {
    const char* env = std::getenv("BERTH_SKIP_PROBE");
    return env && ("," + std::string(env) + ",").find("," + std::string(what) + ",") != std::string::npos;
}
} // namespace

class SkipProbe : public QObject {
    Q_OBJECT
private slots:
    void passes() {
        const char* env = std::getenv("BERTH_SKIP_PROBE");
        const QStringList modes = QString::fromUtf8(env ? env : "").split(u',', Qt::SkipEmptyParts);
        for (const QString& mode : modes)
            QVERIFY2(mode == u"skip" || mode == u"kernel" || mode == u"fail", qPrintable("unknown probe mode " + mode));
    }
    void skips() {
        if (probe("skip")) BERTH_SKIP("the probe's program is not installed", MissingProgram);
    }
    void kernelSkips() {
        if (probe("kernel")) BERTH_SKIP("the probe's kernel feature is missing", KernelFeature);
    }
    void fails() {
        if (probe("fail")) QFAIL("the probe fails");
    }
};

BERTH_GUILESS_TEST_MAIN(SkipProbe)
#include "skip_probe.moc"
