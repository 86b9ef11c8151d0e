// Docker's variable substitution and quote rules, as ShellLex applies them.
#include "skip.h"
#include "build/shell_lex.h"

#include <QtTest/QtTest>

#include <map>

using berth::build::EnvLookup;
using berth::build::ShellLex;

namespace {

EnvLookup envOf(std::map<std::string, std::string> vars) {
    return [vars](std::string_view name) -> std::optional<std::string> {
        auto it = vars.find(std::string(name));
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

const std::map<std::string, std::string> kVars = {
    {"a", "apple"}, {"empty", ""}, {"spaced", "x  y"}, {"path", "/usr/local/bin/tool.tar.gz"}};

} // namespace

class TestShellLex : public QObject {
    Q_OBJECT

private slots:
    void word_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "hello" << "hello";
        QTest::newRow("$a") << "$a" << "apple";
        QTest::newRow("${a}") << "${a}" << "apple";
        QTest::newRow("${a}s glued") << "${a}s" << "apples";
        QTest::newRow("$a_x is one name") << "$a_x" << "";
        QTest::newRow("unset") << "[$nope]" << "[]";
        QTest::newRow(":- set") << "${a:-dflt}" << "apple";
        QTest::newRow(":- unset") << "${nope:-dflt}" << "dflt";
        QTest::newRow(":- empty") << "${empty:-dflt}" << "dflt";
        QTest::newRow("- empty keeps empty") << "[${empty-dflt}]" << "[]";
        QTest::newRow("- unset") << "${nope-dflt}" << "dflt";
        QTest::newRow(":+ set") << "${a:+yes}" << "yes";
        QTest::newRow(":+ empty") << "[${empty:+yes}]" << "[]";
        QTest::newRow("+ empty") << "${empty+yes}" << "yes";
        QTest::newRow(":+ unset") << "[${nope:+yes}]" << "[]";
        QTest::newRow("nested default") << "${nope:-${a}}" << "apple";
        QTest::newRow("default with spaces") << "${nope:-a b}" << "a b";
        QTest::newRow("# shortest prefix") << "${path#*/}" << "usr/local/bin/tool.tar.gz";
        QTest::newRow("## longest prefix") << "${path##*/}" << "tool.tar.gz";
        QTest::newRow("% shortest suffix") << "${path%.*}" << "/usr/local/bin/tool.tar";
        QTest::newRow("%% longest suffix") << "${path%%.*}" << "/usr/local/bin/tool";
        QTest::newRow("# class") << "${path#/[a-u]*/}" << "local/bin/tool.tar.gz";
        QTest::newRow("## posix class") << "${path##*[[:punct:]]}" << "gz";
        QTest::newRow("%% no match keeps value") << "${a%%x*}" << "apple";
        QTest::newRow("% question marks") << "${a%??}" << "app";
        QTest::newRow("# unclosed bracket is literal") << "${a#[ap}" << "apple";
        QTest::newRow("escaped dollar") << "\\$a" << "$a";
        QTest::newRow("escaped brace dollar") << "\\${a}" << "${a}";
        QTest::newRow("escape removed") << "a\\ b" << "a b";
        QTest::newRow("single quotes literal") << "'$a \\n'" << "$a \\n";
        QTest::newRow("double quotes expand") << "\"$a pie\"" << "apple pie";
        QTest::newRow("double quotes escaped dollar") << "\"\\$a\"" << "$a";
        QTest::newRow("double quotes keep other escapes") << "\"a\\nb\"" << "a\\nb";
        QTest::newRow("double quote escaped quote") << "\"say \\\"hi\\\"\"" << "say \"hi\"";
        QTest::newRow("lone dollar") << "cost $ 5" << "cost $ 5";
        QTest::newRow("dollar at end") << "x$" << "x$";
        QTest::newRow("mixed quoting") << "pre'$a'\"$a\"$a" << "pre$aappleapple";
    }
    void word() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        ShellLex lex;
        auto r = lex.processWord(input.toStdString(), envOf(kVars));
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(QString::fromStdString(*r), expected);
    }

    void backtickEscape() {
        ShellLex lex('`');
        auto r = lex.processWord("C:\\dir `$a ``", envOf(kVars));
        QVERIFY(r.has_value());
        // With ` as the escape, a backslash is an ordinary character.
        QCOMPARE(*r, std::string("C:\\dir $a `"));
    }

    void errors_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("message");
        QTest::newRow("open double quote") << "\"abc" << "matching double-quote";
        QTest::newRow("open single quote") << "'abc" << "matching single-quote";
        QTest::newRow("missing brace") << "${a" << "missing '}'";
        QTest::newRow("missing brace after default") << "${a:-x" << "missing '}'";
        QTest::newRow(":? unset") << "${nope:?must be set}" << "nope: must be set";
        QTest::newRow("? unset") << "${nope?}" << "nope: is not allowed to be unset";
        QTest::newRow(":? empty") << "${empty:?}" << "empty: is not allowed to be empty";
        QTest::newRow("bad modifier") << "${a:=x}" << "unsupported modifier";
        QTest::newRow("empty name") << "${}" << "bad substitution";
    }
    void errors() {
        QFETCH(QString, input);
        QFETCH(QString, message);
        ShellLex lex;
        auto r = lex.processWord(input.toStdString(), envOf(kVars));
        QVERIFY(!r.has_value());
        QVERIFY2(r.error().message().find(message.toStdString()) != std::string::npos, r.error().message().c_str());
    }

    // Found by the shell_words fuzz target: each ${ level was a recursion, and 10,000 of
    // them overflowed the stack.
    void nestingIsBounded() {
        ShellLex lex;
        std::string ok;
        for (int i = 0; i < 100; ++i) ok += "${nope:-";
        ok += "deep" + std::string(100, '}');
        auto r = lex.processWord(ok, envOf(kVars));
        QVERIFY2(r.has_value(), r ? "" : r.error().message().c_str());
        QCOMPARE(*r, std::string("deep"));
        std::string deep;
        for (int i = 0; i < 10000; ++i) deep += "${nope:-";
        auto e = lex.processWord(deep, envOf(kVars));
        QVERIFY(!e.has_value());
        QVERIFY2(e.error().message().find("nested more than 100 levels") != std::string::npos,
                 e.error().message().c_str());
    }

    // Found by the shell_words fuzz target: fnmatch for every candidate length took
    // minutes for a 4 KiB value and pattern. Now one pass; the answer is unchanged.
    void trimLongValue() {
        std::string value(4096, 'a');
        value += "/b";
        std::string pattern = "*a" + value + "*[*a*b";
        auto env = envOf({{"v", value}, {"p", pattern}});
        ShellLex lex;
        auto word = [&](const std::string& w) { return lex.processWord(w, env).value_or("(error)"); };
        QCOMPARE(word("${v%%" + pattern + "}"), value);
        QCOMPARE(word("${v##*a*a*a*b}"), std::string());
        QCOMPARE(word("${v#*a*a*a*/}"), std::string("b"));
    }

    void questionMarkSetPasses() {
        ShellLex lex;
        auto r = lex.processWord("${a:?x}${empty?y}", envOf(kVars));
        QVERIFY(r.has_value());
        QCOMPARE(*r, std::string("apple"));
    }

    void words() {
        ShellLex lex;
        auto r = lex.processWords("one \"two three\" 'four  five' $spaced \"$spaced\" six\\ seven", envOf(kVars));
        QVERIFY(r.has_value());
        std::vector<std::string> expected{"one", "two three", "four  five", "x", "y", "x  y", "six seven"};
        QCOMPARE(*r, expected);
    }

    void expandOnlyKeepsQuotes() {
        ShellLex lex;
        auto r = lex.expandOnly("echo \"$a\" '${a}' \\$a \\n\n", envOf(kVars));
        QVERIFY(r.has_value());
        QCOMPARE(*r, std::string("echo \"apple\" 'apple' $a \\n\n"));
    }
};

BERTH_GUILESS_TEST_MAIN(TestShellLex)
#include "tst_shell_lex.moc"
