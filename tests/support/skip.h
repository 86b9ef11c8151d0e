#pragma once
// Skips that CTest sees, and main()s that report them.
//
// A test function that cannot run here says why with BERTH_SKIP(reason, Kind) instead of a
// bare QSKIP. The suite's main() (BERTH_TEST_MAIN and friends below) then exits 77, which
// CTest (SKIP_RETURN_CODE 77, set by berth_add_test) reports as "Skipped", and prints one
// `BERTH-SKIP: Suite::function: reason [kind]` line per skip. A failure wins over a skip:
// a suite with a failing function exits non-zero whatever else skipped. A suite where some
// functions passed and one skipped exits 77 too: "Passed" would claim that everything it
// names was tested (tests/README.md says why this is the choice).
//
// Under CI (CI=true) a skip is a failure: BERTH_SKIP turns into QFAIL with the reason,
// except for the few skips listed in ci_allowed_skips.cpp (kernel features this machine
// lacks, each with its reason).

#include <QtTest/QtTest>

#include <string>
#include <vector>

#include <unistd.h>

namespace berth::test {

enum class SkipKind {
    NeedsRoot,       // the test needs root and runs as another user
    MissingProgram,  // a program or Debian package the test needs is not installed
    KernelFeature,   // the kernel (or how it is configured) lacks what the test exercises
    HostSetup,       // the host's set-up leaves nothing to check (one interface, no limit…)
    NotBuilt,        // a part of this build (a helper, an engine feature) is missing
};
const char* skipKindName(SkipKind kind);

struct SkipRecord {
    std::string suite, function, dataTag, reason;
    SkipKind kind;
};

// Is CI=true (or 1/yes) set: every skip not listed in ci_allowed_skips.cpp fails.
bool underCi();
// Where the skip is allowed under CI: the reason it is listed with, or empty.
std::string ciAllowedSkip(const std::string& suite, const std::string& function, SkipKind kind);
struct AllowedSkip {
    std::string suite, function, reason;
};
// The whole list (ci_allowed_skips.cpp), for tests and reports.
std::vector<AllowedSkip> ciAllowedSkips();

// Records a skip of the running test function. Returns true when it may be a skip; false
// (with `failure` set) when it must be a failure (under CI, not listed).
bool recordSkip(const std::string& reason, SkipKind kind, std::string* failure);
const std::vector<SkipRecord>& recordedSkips();

inline std::string skipReasonText(const char* s) { return s ? s : ""; }
inline std::string skipReasonText(const std::string& s) { return s; }
inline std::string skipReasonText(const QString& s) { return s.toStdString(); }

// The suite a main() runs, for skip records and the CI list.
class SuiteRun {
public:
    explicit SuiteRun(const char* suite);
    // The whole suite cannot run (before any test function): prints why and returns the
    // exit code (77, or 1 under CI).
    int skipWholeSuite(const std::string& reason, SkipKind kind);
    // QTest::qExec's result in, the process's exit code out: failures stay failures
    // (always non-zero, never 77); else 77 when anything skipped; else 0.
    int finish(int qexecResult);
};

} // namespace berth::test

// In a test function (it returns from it, like QSKIP): skip with a reason, or fail under CI.
// `kind` is a SkipKind enumerator name: BERTH_SKIP("skopeo is not installed", MissingProgram).
#define BERTH_SKIP(reason, kind)                                                              \
    do {                                                                                      \
        std::string berthSkipFailure_;                                                        \
        const std::string berthSkipReason_ = ::berth::test::skipReasonText(reason);           \
        if (!::berth::test::recordSkip(berthSkipReason_, ::berth::test::SkipKind::kind,       \
                                       &berthSkipFailure_))                                   \
            QFAIL(berthSkipFailure_.c_str());                                                 \
        QSKIP(berthSkipReason_.c_str());                                                      \
    } while (false)

#define BERTH_TEST_MAIN_WRAPPER_(TestObject, needsRoot, ...)                                  \
    int main(int argc, char* argv[]) {                                                        \
        ::berth::test::SuiteRun berthRun_(#TestObject);                                       \
        if ((needsRoot) && ::geteuid() != 0)                                                  \
            return berthRun_.skipWholeSuite("needs root (namespaces, mounts, cgroups)",       \
                                            ::berth::test::SkipKind::NeedsRoot);              \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                    \
        __VA_ARGS__                                                                           \
        int berthResult_ = 0;                                                                 \
        {                                                                                     \
            TestObject tc;                                                                    \
            QTEST_SET_MAIN_SOURCE_PATH                                                        \
            berthResult_ = QTest::qExec(&tc, argc, argv);                                     \
        }                                                                                     \
        return berthRun_.finish(berthResult_);                                                \
    }

// Like QTEST_MAIN (a QApplication when the test links Qt Widgets, else QGuiApplication or
// QCoreApplication).
#define BERTH_TEST_MAIN(TestObject) BERTH_TEST_MAIN_WRAPPER_(TestObject, false, QTEST_MAIN_SETUP())
// Like QTEST_GUILESS_MAIN.
#define BERTH_GUILESS_TEST_MAIN(TestObject) \
    BERTH_TEST_MAIN_WRAPPER_(TestObject, false, QTEST_QAPP_SETUP(QCoreApplication))
// Like QTEST_APPLESS_MAIN.
#define BERTH_APPLESS_TEST_MAIN(TestObject) BERTH_TEST_MAIN_WRAPPER_(TestObject, false)
// For suites that need root throughout: skipped (a failure under CI) when not root.
#define BERTH_ROOT_TEST_MAIN(TestObject) \
    BERTH_TEST_MAIN_WRAPPER_(TestObject, true, QTEST_QAPP_SETUP(QCoreApplication))
