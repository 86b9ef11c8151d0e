#include "skip_suites.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace berth::test {

namespace {

std::string g_suite = "?";
std::vector<SkipRecord> g_skips;

std::string lower(std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string describe(const SkipRecord& s) {
    std::string name = s.suite + "::" + s.function;
    if (!s.dataTag.empty()) name += "(" + s.dataTag + ")";
    return name + ": " + s.reason + " [" + skipKindName(s.kind) + "]";
}

std::string ciRefusal(const SkipRecord& s) {
    const char* hint = "";
    switch (s.kind) {
    case SkipKind::NeedsRoot: hint = "run the tests as root"; break;
    case SkipKind::MissingProgram: hint = "install it (installer/install-deps.sh --with-tests)"; break;
    case SkipKind::KernelFeature:
        hint = "if this machine's kernel really lacks it, list the skip with the reason in "
               "tests/support/ci_allowed_skips.cpp";
        break;
    case SkipKind::HostSetup: hint = "set the machine up so the test has something to check"; break;
    case SkipKind::NotBuilt: hint = "build what it needs"; break;
    }
    return "skipped under CI=true, where every test must run: " + describe(s) + ". To fix: " + hint;
}

bool g_wholeSuite = false;

} // namespace

const char* skipKindName(SkipKind kind) {
    switch (kind) {
    case SkipKind::NeedsRoot: return "needs root";
    case SkipKind::MissingProgram: return "missing program";
    case SkipKind::KernelFeature: return "kernel feature";
    case SkipKind::HostSetup: return "host set-up";
    case SkipKind::NotBuilt: return "not built";
    }
    return "?";
}

bool underCi() {
    const char* ci = std::getenv("CI");
    if (!ci) return false;
    const std::string v = lower(ci);
    return v == "true" || v == "1" || v == "yes";
}

bool recordSkip(const std::string& reason, SkipKind kind, std::string* failure) {
    SkipRecord r{g_suite, QTest::currentTestFunction() ? QTest::currentTestFunction() : "?",
                 QTest::currentDataTag() ? QTest::currentDataTag() : "", reason, kind};
    if (underCi() && ciAllowedSkip(r.suite, r.function, kind).empty()) {
        if (failure) *failure = ciRefusal(r);
        return false;
    }
    g_skips.push_back(std::move(r));
    return true;
}

const std::vector<SkipRecord>& recordedSkips() { return g_skips; }

SuiteRun::SuiteRun(const char* suite) { g_suite = suite; }

int SuiteRun::skipWholeSuite(const std::string& reason, SkipKind kind) {
    SkipRecord r{g_suite, "main", "", reason, kind};
    if (underCi() && ciAllowedSkip(r.suite, r.function, kind).empty()) {
        std::printf("FAIL: %s\n", ciRefusal(r).c_str());
        std::fflush(stdout);
        return 1;
    }
    g_skips.push_back(r);
    g_wholeSuite = true;
    return finish(0);
}

int SuiteRun::finish(int qexecResult) {
    for (const auto& s : g_skips) {
        std::string allowed = underCi() ? ciAllowedSkip(s.suite, s.function, s.kind) : std::string();
        std::printf("BERTH-SKIP: %s%s\n", describe(s).c_str(),
                    allowed.empty() ? "" : (" (allowed under CI: " + allowed + ")").c_str());
    }
    if (qexecResult != 0) {
        // Never 77: a failing suite must not be counted as skipped.
        std::printf("%s: failed%s\n", g_suite.c_str(), g_skips.empty() ? "" : " (and skipped the above)");
        std::fflush(stdout);
        return qexecResult == 77 ? 1 : qexecResult;
    }
    if (!g_skips.empty()) {
        // A skip in initTestCase skips every function of the suite.
        for (const auto& s : g_skips) g_wholeSuite = g_wholeSuite || s.function == "initTestCase";
        std::printf("%s: %zu skip(s), exit code 77 (CTest: Skipped); %s\n", g_suite.c_str(), g_skips.size(),
                    g_wholeSuite ? "no test function ran" : "the functions not listed above passed");
        std::fflush(stdout);
        return 77;
    }
    return 0;
}

int runTestSuites(int argc, char** argv, std::initializer_list<QObject*> suites) {
    SuiteRun run(suites.size() ? suites.begin()[0]->metaObject()->className() : "?");
    int failed = 0;
    for (QObject* suite : suites) {
        g_suite = suite->metaObject()->className();
        failed |= QTest::qExec(suite, argc, argv);
    }
    return run.finish(failed);
}

} // namespace berth::test
