// berth builds only the group of verbs its command line names (app/berth/main.cpp); with
// BERTH_CLI_WHOLE_TREE=1 it builds every verb, as `berth --help` always does. For every
// verb and sub-verb that the whole tree's help lists, the answers must be the same to the
// byte: --help, an unknown flag, a missing argument, surplus words that name other verbs.
#include "skip.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <sstream>
#include <string>
#include <vector>

using namespace berth::test;

namespace {

// The subcommand names of a CLI11 help text: the first word of each line after
// "Subcommands:".
std::vector<std::string> listedVerbs(const std::string& help) {
    std::vector<std::string> out;
    std::istringstream in(help);
    std::string line;
    bool inList = false;
    while (std::getline(in, line)) {
        if (line == "Subcommands:") {
            inList = true;
            continue;
        }
        if (!inList) continue;
        if (line.empty()) break;
        std::istringstream words(line);
        std::string name;
        if (words >> name) out.push_back(name);
    }
    return out;
}

} // namespace

class TestCliVerbs : public QObject {
    Q_OBJECT

    TempDir m_dir;

    std::vector<std::string> withRoot(const std::vector<std::string>& args) const {
        std::vector<std::string> argv{builtProgram("berth").string(), "--root", (m_dir.path() / "store").string(),
                                      "--runroot", (m_dir.path() / "run").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    CommandResult run(const std::vector<std::string>& args, bool wholeTree) const {
        return runCommand(withRoot(args), 30000, {wholeTree ? "BERTH_CLI_WHOLE_TREE=1" : "BERTH_CLI_WHOLE_TREE=0"});
    }

    // Same exit code, stdout and stderr with the verb's group only and with every verb.
    void compare(const std::vector<std::string>& args) {
        auto lazy = run(args, false);
        auto whole = run(args, true);
        std::string what;
        for (auto& a : args) what += " " + a;
        QVERIFY2(lazy.exitCode == whole.exitCode,
                 qPrintable(QString("berth%1: exit %2, whole tree %3").arg(what.c_str()).arg(lazy.exitCode).arg(whole.exitCode)));
        QVERIFY2(lazy.out == whole.out, qPrintable(QString("berth%1: stdout differs:\n%2\n---- whole tree:\n%3")
                                                       .arg(what.c_str(), lazy.out.c_str(), whole.out.c_str())));
        QVERIFY2(lazy.err == whole.err, qPrintable(QString("berth%1: stderr differs:\n%2\n---- whole tree:\n%3")
                                                       .arg(what.c_str(), lazy.err.c_str(), whole.err.c_str())));
    }

    std::vector<std::string> topVerbs() const {
        auto help = run({"--help"}, true);
        return listedVerbs(help.out);
    }

private slots:
    void helpListsEveryVerbGroup() {
        auto verbs = topVerbs();
        // One verb of each group the CLI registers (main.cpp's table), so a broken parse of
        // the help cannot make the comparisons below vacuous.
        for (const char* v : {"images", "system", "run", "stop", "ps", "container", "pull", "build", "network",
                              "volume", "info"})
            QVERIFY2(std::find(verbs.begin(), verbs.end(), v) != verbs.end(), v);
        compare({"--help"});
        compare({});
        compare({"no-such-verb"});
    }

    void everyVerbAnswersAsTheWholeTree() {
        for (const auto& verb : topVerbs()) {
            compare({verb, "--help"});
            compare({verb, "--no-such-flag"});
            // Words that name other verbs, where only the verb's own arguments may be.
            compare({verb, "--no-such-flag", "ps", "run"});
            if (verb != "stats" && verb != "events" && verb != "load" && verb != "attach") compare({verb});
        }
    }

    void everySubVerbAnswersAsTheWholeTree() {
        for (const auto& verb : topVerbs()) {
            auto help = run({verb, "--help"}, true);
            for (const auto& sub : listedVerbs(help.out)) {
                compare({verb, sub, "--help"});
                compare({verb, sub, "--no-such-flag"});
            }
        }
    }

    void globalOptionsBeforeTheVerb() {
        compare({"--root=" + (m_dir.path() / "other").string(), "ps", "--help"});
        compare({"--version"});
        compare({"--version", "ps"});
        compare({"ps", "--version"});
        compare({"--root"});
        compare({"-x", "ps"});
    }
};

BERTH_GUILESS_TEST_MAIN(TestCliVerbs)
#include "tst_cli_verbs.moc"
