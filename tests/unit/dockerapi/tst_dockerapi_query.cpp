// Docker's query conventions and the routes' version prefixes, as dockerd reads them.
#include "skip.h"
#include "api_error.h"
#include "query.h"
#include "router.h"

#include <QtTest/QtTest>

#include <limits>

using namespace berth::dockerapi;

class TestDockerApiQuery : public QObject {
    Q_OBJECT

private slots:
    void booleansReadAsDockerdReadsThem_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("expected");
        for (const char* t : {"1", "true", "True", "TRUE", "yes", "anything"}) QTest::newRow(t) << t << true;
        for (const char* f : {"0", "false", "False", "no", "none", ""}) QTest::newRow(*f ? f : "empty") << f << false;
    }
    void booleansReadAsDockerdReadsThem() {
        QFETCH(QString, value);
        QFETCH(bool, expected);
        auto q = Query::parse("all=" + value.toStdString());
        QVERIFY(q);
        QCOMPARE(q->boolean("all", !expected), expected);
    }

    void missingBooleanTakesTheDefault() {
        auto q = Query::parse("other=1");
        QVERIFY(q);
        QCOMPARE(q->boolean("all", true), true);
        QCOMPARE(q->boolean("all", false), false);
    }

    void queryIsPercentDecodedAndRepeatable() {
        auto q = Query::parse("t=a%3Ab&t=c+d&empty=&flag&x=%2Fv");
        QVERIFY(q);
        QCOMPARE(q->all("t"), (std::vector<std::string>{"a:b", "c d"}));
        QVERIFY(q->has("empty"));
        QVERIFY(q->has("flag"));
        QCOMPARE(q->get("x"), std::string("/v"));
        QVERIFY(!Query::parse("a=%zz"));
        QVERIFY(!Query::parse("a=%2"));
    }

    void integersAreCheckedNotGuessed() {
        auto q = Query::parse("t=10&bad=ten&neg=-1");
        QVERIFY(q);
        QCOMPARE(q->integer("t", 0), int64_t(10));
        QCOMPARE(q->integer("neg", 0), int64_t(-1));
        QCOMPARE(q->integer("missing", 7), int64_t(7));
        try {
            q->integer("bad", 0);
            QFAIL("a word taken for a number");
        } catch (const ApiError& e) {
            QCOMPARE(e.status, 400);
        }
    }

    void filtersInBothEncodings() {
        auto a = Filters::parse(R"({"label":{"a=b":true,"c":true},"status":{"running":true}})");
        auto b = Filters::parse(R"({"label":["a=b","c"],"status":["running"]})");
        for (const Filters* f : {&a, &b}) {
            QCOMPARE(f->values("label"), (std::set<std::string>{"a=b", "c"}));
            QVERIFY(f->matches("status", "running"));
            QVERIFY(!f->matches("status", "exited"));
            QVERIFY(f->matches("name", "anything"));  // no such filter: everything matches
            QVERIFY(f->matchesLabels("label", {{"a", "b"}, {"c", ""}}));
            QVERIFY(!f->matchesLabels("label", {{"a", "x"}, {"c", ""}}));
            QVERIFY(!f->matchesLabels("label", {{"a", "b"}}));
        }
        QVERIFY(Filters::parse("").empty());
    }

    void badFiltersAreRefusedWith400() {
        for (const char* bad : {"{", "[]", R"({"a":"b"})", R"({"a":[1]})", R"({"a":{"b":"yes"}})"}) {
            try {
                Filters::parse(bad);
                QFAIL(bad);
            } catch (const ApiError& e) {
                QCOMPARE(e.status, 400);
                QVERIFY(e.message.starts_with("invalid filter"));
            }
        }
        auto f = Filters::parse(R"({"status":["running"],"colour":["red"]})");
        try {
            f.checkKeys({"status", "label"});
            QFAIL("an unknown filter accepted");
        } catch (const ApiError& e) {
            QCOMPARE(e.message, std::string("invalid filter 'colour'"));
        }
    }

    void booleanFilters() {
        QCOMPARE(Filters::parse(R"({"dangling":["true"]})").boolean("dangling"), std::optional<bool>(true));
        QCOMPARE(Filters::parse(R"({"dangling":{"false":true}})").boolean("dangling"), std::optional<bool>(false));
        QCOMPARE(Filters::parse("{}").boolean("dangling"), std::optional<bool>());
        QVERIFY_THROWS_EXCEPTION(ApiError, Filters::parse(R"({"dangling":["maybe"]})").boolean("dangling"));
    }

    void unixTimesKeepTheirNanoseconds() {
        QCOMPARE(unixTimeNano("", "since"), int64_t(0));
        QCOMPARE(unixTimeNano("1700000000", "since"), int64_t(1700000000) * 1000000000);
        QCOMPARE(unixTimeNano("1700000000.000000123", "since"), int64_t(1700000000) * 1000000000 + 123);
        QCOMPARE(unixTimeNano("1700000000.5", "since"), int64_t(1700000000) * 1000000000 + 500000000);
        for (const char* bad : {"yesterday", "-5", "1.2.3", ".5", "10m"})
            QVERIFY_THROWS_EXCEPTION(ApiError, unixTimeNano(bad, "since"));
    }

    void unixTimesPastTheInt64sEndMeanNever() {
        // CI's fuzzer: 170000000085 * 1e9 overflowed (tests/fuzz/regressions/dockerapi_request).
        constexpr int64_t never = std::numeric_limits<int64_t>::max();
        QCOMPARE(unixTimeNano("170000000085.5", "until"), never);
        QCOMPARE(unixTimeNano("999999999999", "until"), never);
        QCOMPARE(unixTimeNano("9223372035", "until"), int64_t(9223372035) * 1000000000);
    }

    void versionsCompareNumerically() {
        QVERIFY(compareVersions("1.9", "1.10") < 0);
        QVERIFY(compareVersions("1.44", "1.44") == 0);
        QVERIFY(compareVersions("1.45", "1.44") > 0);
        QVERIFY(compareVersions("2", "1.44") > 0);
    }

    void routesUnderEveryVersionPrefix() {
        Router r;
        r.add("GET", "/containers/{id}/json", [](Request&, Response&) {});
        r.add("GET", "/images/{name*}/json", [](Request&, Response&) {});
        r.add("DELETE", "/images/{name*}", [](Request&, Response&) {});

        auto m = r.match("GET", "/containers/abc/json");
        QVERIFY(m.route);
        QCOMPARE(m.params["id"], std::string("abc"));
        QCOMPARE(m.apiVersion, std::string("1.44"));

        for (int minor = 24; minor <= 44; ++minor) {
            std::string v = "1." + std::to_string(minor);
            auto vm = r.match("GET", "/v" + v + "/containers/abc/json");
            QVERIFY2(vm.route, v.c_str());
            QCOMPARE(vm.apiVersion, v);
        }

        auto img = r.match("GET", "/v1.41/images/localhost:5000/a/b:1/json");
        QVERIFY(img.route);
        QCOMPARE(img.params["name"], std::string("localhost:5000/a/b:1"));
        auto del = r.match("DELETE", "/images/busybox%3Alatest");
        QVERIFY(del.route);
        QCOMPARE(del.params["name"], std::string("busybox:latest"));
    }

    void versionsOutsideTheRangeGetDockersMessage() {
        Router r;
        r.add("GET", "/_ping", [](Request&, Response&) {});
        auto high = r.match("GET", "/v1.45/_ping");
        QVERIFY(!high.route);
        QCOMPARE(high.status, 400);
        QCOMPARE(high.message, std::string("client version 1.45 is too new. Maximum supported API version is 1.44"));
        auto low = r.match("GET", "/v1.23/_ping");
        QCOMPARE(low.status, 400);
        QCOMPARE(low.message, std::string("client version 1.23 is too old. Minimum supported API version is 1.24, "
                                          "please upgrade your client to a newer version"));
        auto none = r.match("GET", "/v1.41/nothing/here");
        QCOMPARE(none.status, 404);
        QCOMPARE(none.message, std::string("page not found"));
        QCOMPARE(r.match("POST", "/_ping").status, 404);
        QCOMPARE(r.match("GET", "/vx/_ping").status, 404);
    }
};

BERTH_APPLESS_TEST_MAIN(TestDockerApiQuery)
#include "tst_dockerapi_query.moc"
