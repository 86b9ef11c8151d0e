// Healthchecks without root: the --health-* flags through the one run-flags parser (docker's
// rules and clear errors), the check in effect (flags over the image's HEALTHCHECK), the
// rules a result changes State.Health by, and the record keeping both.
#include "skip.h"
#include "berth/run_flags.h"
#include "berth/text.h"
#include "container/container_record.h"
#include "container/health.h"
#include "image/healthcheck_json.h"

#include <QtTest>

using namespace berth;
using container::applyHealthResult;
using container::effectiveHealthcheck;

class HealthTest : public QObject {
    Q_OBJECT
private slots:
    void flagsFollowDocker();
    void badFlagsNameTheFlag();
    void flagsOverTheImage();
    void resultsMakeHealthyAndUnhealthy();
    void startPeriodFailuresDoNotCount();
    void logKeepsTheLastFive();
    void recordAndInspectShape();
};

static RunRequest parsed(RunFlags f) {
    f.image = "busybox";
    auto r = parseRunFlags(f);
    if (!r) qFatal("parseRunFlags: %s", r.error().message().c_str());
    return *r;
}

void HealthTest::flagsFollowDocker() {
    QVERIFY(!parsed(RunFlags{}).healthcheck);  // none given: the image's
    RunFlags f;
    f.healthCmd = "wget -q localhost || exit 1";
    f.healthInterval = "1m30s";
    f.healthTimeout = "500ms";
    f.healthRetries = "5";
    f.healthStartPeriod = "2s";
    f.healthStartInterval = "1s";
    auto h = *parsed(f).healthcheck;
    QCOMPARE(h.test, (std::vector<std::string>{"CMD-SHELL", "wget -q localhost || exit 1"}));
    QCOMPARE(h.intervalNs, int64_t(90'000'000'000));
    QCOMPARE(h.timeoutNs, int64_t(500'000'000));
    QCOMPARE(h.retries, 5);
    QCOMPARE(h.startPeriodNs, int64_t(2'000'000'000));
    QCOMPARE(h.startIntervalNs, int64_t(1'000'000'000));
    // Options alone keep the image's test (empty here).
    RunFlags only;
    only.healthRetries = "2";
    auto o = *parsed(only).healthcheck;
    QVERIFY(o.test.empty());
    QCOMPARE(o.retries, 2);
    RunFlags none;
    none.noHealthcheck = true;
    QCOMPARE(parsed(none).healthcheck->test, std::vector<std::string>{"NONE"});
    QVERIFY(parsed(none).healthcheck->disabled());
}

void HealthTest::badFlagsNameTheFlag() {
    struct Bad {
        void (*set)(RunFlags&);
        const char* message;
    };
    const Bad cases[] = {
        {[](RunFlags& f) { f.healthInterval = "5x"; }, "--health-interval: invalid duration `5x`"},
        {[](RunFlags& f) { f.healthInterval = "30"; }, "--health-interval: invalid duration `30`"},
        {[](RunFlags& f) { f.healthTimeout = "-1s"; }, "--health-timeout cannot be negative: `-1s`"},
        {[](RunFlags& f) { f.healthStartPeriod = "10us"; }, "--health-start-period cannot be less than 1ms: `10us`"},
        {[](RunFlags& f) { f.healthStartInterval = "soon"; }, "--health-start-interval: invalid duration `soon`"},
        {[](RunFlags& f) { f.healthRetries = "-1"; }, "--health-retries cannot be negative or huge: `-1`"},
        {[](RunFlags& f) { f.healthRetries = "three"; }, "--health-retries: invalid number `three`"},
        {[](RunFlags& f) {
             f.noHealthcheck = true;
             f.healthCmd = "true";
         },
         "--no-healthcheck conflicts with --health-* options"},
    };
    for (auto& c : cases) {
        RunFlags f;
        f.image = "busybox";
        c.set(f);
        auto r = parseRunFlags(f);
        QVERIFY2(!r, c.message);
        QCOMPARE(int(r.error().code()), int(Errc::InvalidArgument));
        QCOMPARE(r.error().message(), std::string(c.message));
    }
}

void HealthTest::flagsOverTheImage() {
    HealthConfig image{.test = {"CMD", "/bin/check"}, .intervalNs = 5'000'000'000, .retries = 2};
    QCOMPARE(*effectiveHealthcheck(image, std::nullopt), image);
    QVERIFY(!effectiveHealthcheck(std::nullopt, std::nullopt));
    // --no-healthcheck over an image's HEALTHCHECK: none; HEALTHCHECK NONE alone: none.
    QVERIFY(!effectiveHealthcheck(image, HealthConfig{.test = {"NONE"}}));
    QVERIFY(!effectiveHealthcheck(HealthConfig{.test = {"NONE"}}, std::nullopt));
    // Field by field: the flags' test and retries, the image's interval.
    auto merged = *effectiveHealthcheck(image, HealthConfig{.test = {"CMD-SHELL", "true"}, .retries = 7});
    QCOMPARE(merged.test, (std::vector<std::string>{"CMD-SHELL", "true"}));
    QCOMPARE(merged.intervalNs, int64_t(5'000'000'000));
    QCOMPARE(merged.retries, 7);
    // Options without a command keep the image's command; without any image check, none.
    QCOMPARE(effectiveHealthcheck(image, HealthConfig{.timeoutNs = 1'000'000'000})->test, image.test);
    QVERIFY(!effectiveHealthcheck(std::nullopt, HealthConfig{.timeoutNs = 1'000'000'000}));
}

static HealthResult result(int exitCode, int64_t startNano = 100) {
    return {.startNano = startNano, .endNano = startNano + 1, .exitCode = exitCode, .output = "out"};
}

void HealthTest::resultsMakeHealthyAndUnhealthy() {
    HealthConfig config{.test = {"CMD", "x"}, .retries = 2};
    HealthState s;
    QCOMPARE(s.status, std::string("starting"));
    QVERIFY(!applyHealthResult(s, result(1), config, 0));  // one failure of two
    QCOMPARE(s.failingStreak, 1);
    QVERIFY(applyHealthResult(s, result(0), config, 0));
    QCOMPARE(s.status, std::string("healthy"));
    QCOMPARE(s.failingStreak, 0);
    QVERIFY(!applyHealthResult(s, result(1), config, 0));
    QCOMPARE(s.status, std::string("healthy"));  // still, until `retries` in a row
    QVERIFY(applyHealthResult(s, result(-1), config, 0));  // a timeout counts as a failure
    QCOMPARE(s.status, std::string("unhealthy"));
    QCOMPARE(s.failingStreak, 2);
    QVERIFY(!applyHealthResult(s, result(2), config, 0));  // any non-zero exit is a failure
    QCOMPARE(s.failingStreak, 3);
    QVERIFY(applyHealthResult(s, result(0), config, 0));
    QCOMPARE(s.status, std::string("healthy"));
    // docker's default of 3 retries when none is set.
    HealthState d;
    HealthConfig defaults{.test = {"CMD", "x"}};
    applyHealthResult(d, result(1), defaults, 0);
    applyHealthResult(d, result(1), defaults, 0);
    QCOMPARE(d.status, std::string("starting"));
    applyHealthResult(d, result(1), defaults, 0);
    QCOMPARE(d.status, std::string("unhealthy"));
}

void HealthTest::startPeriodFailuresDoNotCount() {
    HealthConfig config{.test = {"CMD", "x"}, .startPeriodNs = 1000, .retries = 1};
    HealthState s;
    QVERIFY(!applyHealthResult(s, result(1, 500), config, 0));  // within the start period
    QCOMPARE(s.failingStreak, 0);
    QCOMPARE(s.status, std::string("starting"));
    QVERIFY(applyHealthResult(s, result(1, 1500), config, 0));  // after it
    QCOMPARE(s.status, std::string("unhealthy"));
    // Once healthy, failures count even within the start period.
    HealthState h;
    applyHealthResult(h, result(0, 100), config, 0);
    QVERIFY(applyHealthResult(h, result(1, 200), config, 0));
    QCOMPARE(h.status, std::string("unhealthy"));
}

void HealthTest::logKeepsTheLastFive() {
    HealthConfig config{.test = {"CMD", "x"}};
    HealthState s;
    for (int i = 0; i < 8; ++i) applyHealthResult(s, result(0, 100 + i), config, 0);
    QCOMPARE(s.log.size(), kHealthLogEntries);
    QCOMPARE(s.log.front().startNano, int64_t(103));
    QCOMPARE(s.log.back().startNano, int64_t(107));
}

void HealthTest::recordAndInspectShape() {
    // The request and the config keep the check; docker's Healthcheck shape, in ns.
    RunFlags f;
    f.healthCmd = "true";
    f.healthInterval = "2s";
    RunRequest r = parsed(f);
    QCOMPARE(container::createOptionsFromJson(container::toJson(r)), r);
    auto j = image::healthConfigJson(*r.healthcheck);
    QCOMPARE(j["Test"], nlohmann::json({"CMD-SHELL", "true"}));
    QCOMPARE(j["Interval"].get<int64_t>(), int64_t(2'000'000'000));
    QVERIFY(!j.contains("Timeout"));  // 0: docker's default, left out as docker leaves it
    QCOMPARE(image::healthConfigFromJson(j), *r.healthcheck);
    // Bad JSON reads as no values, never a crash.
    QCOMPARE(image::healthConfigFromJson(nlohmann::json{{"Test", 5}, {"Interval", "x"}, {"Retries", -3}}), HealthConfig{});

    HealthState s;
    applyHealthResult(s, {.startNano = 1'000'000'000, .endNano = 2'000'000'000, .exitCode = 0, .output = "ok\n"},
                      *r.healthcheck, 0);
    auto hj = container::healthStateJson(s);
    QCOMPARE(hj["Status"], nlohmann::json("healthy"));
    QCOMPARE(hj["FailingStreak"], nlohmann::json(0));
    QCOMPARE(hj["Log"][0]["Start"], nlohmann::json(formatTimeNano(1'000'000'000)));
    QCOMPARE(hj["Log"][0]["End"], nlohmann::json(formatTimeNano(2'000'000'000)));
    QCOMPARE(hj["Log"][0]["ExitCode"], nlohmann::json(0));
    QCOMPARE(hj["Log"][0]["Output"], nlohmann::json("ok\n"));
    QCOMPARE(container::healthStateFromJson(hj), s);
    container::ContainerState st;
    st.health = s;
    QCOMPARE(*container::stateFromJson(container::toJson(st)).health, s);
    QCOMPARE(container::healthSuffix(s), std::string(" (healthy)"));
    QCOMPARE(container::healthSuffix(HealthState{}), std::string(" (health: starting)"));
}

BERTH_GUILESS_TEST_MAIN(HealthTest)
#include "tst_health.moc"
