// The Dockerfile parser: directives, comments, continuations, heredocs, JSON and shell
// forms, every instruction with its flags, and errors that name the line.
#include "skip.h"
#include "build/dockerfile.h"

#include <QtTest/QtTest>

using berth::build::Dockerfile;
using berth::build::Instruction;
using berth::build::parseDockerfile;
using berth::build::parseDuration;

namespace {

Dockerfile parseOk(const std::string& text) {
    auto r = parseDockerfile(text);
    if (!r) qFatal("unexpected parse error: %s", r.error().message().c_str());
    return *r;
}

std::string parseError(const std::string& text) {
    auto r = parseDockerfile(text);
    if (r) return "(parsed without error)";
    return r.error().message();
}

using Strings = std::vector<std::string>;

} // namespace

class TestDockerfile : public QObject {
    Q_OBJECT

private slots:
    void fromForms() {
        auto df = parseOk("FROM busybox\nFROM --platform=linux/amd64 busybox:1 AS Build-1\nFROM scratch as final\n");
        QCOMPARE(df.instructions.size(), size_t(3));
        QCOMPARE(df.instructions[0].args, Strings{"busybox"});
        QCOMPARE(df.instructions[0].stageName, std::string());
        QCOMPARE(df.instructions[1].flag("platform").value_or(""), std::string("linux/amd64"));
        QCOMPARE(df.instructions[1].args[0], std::string("busybox:1"));
        QCOMPARE(df.instructions[1].stageName, std::string("build-1"));  // stage names fold to lower case
        QCOMPARE(df.instructions[2].stageName, std::string("final"));
        QCOMPARE(df.instructions[2].line, 3);
    }

    void argBeforeFrom() {
        auto df = parseOk("ARG VERSION=1.36\nARG OTHER\nFROM busybox:${VERSION}\nARG VERSION\n");
        QCOMPARE(df.instructions[0].keyword, std::string("ARG"));
        QCOMPARE(df.instructions[0].pairs[0].key, std::string("VERSION"));
        QCOMPARE(df.instructions[0].pairs[0].value, std::string("1.36"));
        QVERIFY(df.instructions[0].pairs[0].hasValue);
        QVERIFY(!df.instructions[1].pairs[0].hasValue);
        QCOMPARE(df.instructions[2].args[0], std::string("busybox:${VERSION}"));  // expanded by the builder
    }

    void argSeveralPairs() {
        auto df = parseOk("FROM a\nARG x=1 y z=\"two words\"\n");
        auto& p = df.instructions[1].pairs;
        QCOMPARE(p.size(), size_t(3));
        QCOMPARE(p[1].key, std::string("y"));
        QVERIFY(!p[1].hasValue);
    }

    void runShellAndExec() {
        auto df = parseOk("FROM a\nRUN echo hi && ls\nRUN [\"/bin/sh\", \"-c\", \"echo \\\"q\\\"\"]\n"
                          "RUN [not json\nRUN --network=none --mount=type=cache,target=/c make\n");
        auto& shell = df.instructions[1];
        QVERIFY(!shell.json);
        QCOMPARE(shell.args, Strings{"echo hi && ls"});
        auto& exec = df.instructions[2];
        QVERIFY(exec.json);
        QCOMPARE(exec.args, (Strings{"/bin/sh", "-c", "echo \"q\""}));
        // Not valid JSON: the shell form, like Docker.
        QVERIFY(!df.instructions[3].json);
        QCOMPARE(df.instructions[3].args, Strings{"[not json"});
        QCOMPARE(df.instructions[4].flag("network").value_or(""), std::string("none"));
        QCOMPARE(df.instructions[4].flag("mount").value_or(""), std::string("type=cache,target=/c"));
        QCOMPARE(df.instructions[4].args, Strings{"make"});
    }

    void cmdEntrypoint() {
        auto df = parseOk("FROM a\nCMD [\"echo\", \"x\"]\nCMD echo $HOME\nENTRYPOINT [\"/bin/ep\"]\n"
                          "ENTRYPOINT exec top -b\nCMD []\n");
        QVERIFY(df.instructions[1].json);
        QCOMPARE(df.instructions[1].args, (Strings{"echo", "x"}));
        QVERIFY(!df.instructions[2].json);
        QCOMPARE(df.instructions[2].args, Strings{"echo $HOME"});
        QCOMPARE(df.instructions[3].args, Strings{"/bin/ep"});
        QCOMPARE(df.instructions[4].args, Strings{"exec top -b"});
        QVERIFY(df.instructions[5].json);
        QVERIFY(df.instructions[5].args.empty());
    }

    void envForms() {
        auto df = parseOk("FROM a\nENV A=1 B=\"two words\" C=three\\ words\nENV LEGACY value with  spaces\n"
                          "ENV D=\nENV E=$A\n");
        auto& p = df.instructions[1].pairs;
        QCOMPARE(p.size(), size_t(3));
        QCOMPARE(p[0].key, std::string("A"));
        QCOMPARE(p[0].value, std::string("1"));
        // Quotes and escapes are kept for the builder's substitution pass.
        QCOMPARE(p[1].value, std::string("\"two words\""));
        QCOMPARE(p[2].value, std::string("three\\ words"));
        auto& legacy = df.instructions[2].pairs;
        QCOMPARE(legacy.size(), size_t(1));
        QCOMPARE(legacy[0].key, std::string("LEGACY"));
        QCOMPARE(legacy[0].value, std::string("value with  spaces"));
        QCOMPARE(df.instructions[3].pairs[0].value, std::string());
        QCOMPARE(df.instructions[4].pairs[0].value, std::string("$A"));
    }

    void labelMaintainer() {
        auto df = parseOk("FROM a\nLABEL org.example.v=\"1.0\" multi=\"a b\"\nLABEL old style\nMAINTAINER Jane <j@x>\n");
        QCOMPARE(df.instructions[1].pairs.size(), size_t(2));
        QCOMPARE(df.instructions[1].pairs[0].key, std::string("org.example.v"));
        QCOMPARE(df.instructions[2].pairs[0].key, std::string("old"));
        QCOMPARE(df.instructions[2].pairs[0].value, std::string("style"));
        QCOMPARE(df.instructions[3].args, Strings{"Jane <j@x>"});
    }

    void exposeVolumeWorkdirUserStopsignal() {
        auto df = parseOk("FROM a\nEXPOSE 80 443/tcp 53/udp\nVOLUME /data /logs\nVOLUME [\"/j\", \"/k\"]\n"
                          "WORKDIR /srv/my app\nUSER 1000:1000\nSTOPSIGNAL SIGQUIT\n");
        QCOMPARE(df.instructions[1].args, (Strings{"80", "443/tcp", "53/udp"}));
        QCOMPARE(df.instructions[2].args, (Strings{"/data", "/logs"}));
        QVERIFY(df.instructions[3].json);
        QCOMPARE(df.instructions[3].args, (Strings{"/j", "/k"}));
        QCOMPARE(df.instructions[4].args, Strings{"/srv/my app"});
        QCOMPARE(df.instructions[5].args, Strings{"1000:1000"});
        QCOMPARE(df.instructions[6].args, Strings{"SIGQUIT"});
    }

    void copyAdd() {
        auto df = parseOk("FROM a\nCOPY --from=build --chown=1:2 --chmod=0755 a b /dst/\n"
                          "COPY [\"with space\", \"/d\"]\nADD --chown=app files.tar.gz /opt/\n"
                          "COPY --link --exclude=*.md . /app\nCOPY \"quoted name\" /q\n");
        auto& c = df.instructions[1];
        QCOMPARE(c.flag("from").value_or(""), std::string("build"));
        QCOMPARE(c.flag("chown").value_or(""), std::string("1:2"));
        QCOMPARE(c.flag("chmod").value_or(""), std::string("0755"));
        QCOMPARE(c.args, (Strings{"a", "b", "/dst/"}));
        QVERIFY(df.instructions[2].json);
        QCOMPARE(df.instructions[2].args, (Strings{"with space", "/d"}));
        QCOMPARE(df.instructions[3].flag("chown").value_or(""), std::string("app"));
        QCOMPARE(df.instructions[4].flag("link").value_or(""), std::string("true"));
        QCOMPARE(df.instructions[5].args, (Strings{"\"quoted name\"", "/q"}));
    }

    void healthcheck() {
        auto df = parseOk("FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s --timeout=1m30s --start-period=500ms "
                          "--retries=4 CMD wget -q localhost || exit 1\nHEALTHCHECK CMD [\"/bin/check\", \"-v\"]\n");
        auto& none = df.instructions[1].healthcheck;
        QVERIFY(none && none->none);
        auto& hc = *df.instructions[2].healthcheck;
        QCOMPARE(hc.test, (Strings{"CMD-SHELL", "wget -q localhost || exit 1"}));
        QCOMPARE(hc.intervalNs, int64_t(5'000'000'000));
        QCOMPARE(hc.timeoutNs, int64_t(90'000'000'000));
        QCOMPARE(hc.startPeriodNs, int64_t(500'000'000));
        QCOMPARE(hc.retries, 4);
        QCOMPARE(df.instructions[3].healthcheck->test, (Strings{"CMD", "/bin/check", "-v"}));
    }

    void shellAndOnbuild() {
        auto df = parseOk("FROM a\nSHELL [\"/bin/sh\", \"-ec\"]\nONBUILD RUN echo child\nONBUILD COPY --chown=1 . /app\n");
        QCOMPARE(df.instructions[1].args, (Strings{"/bin/sh", "-ec"}));
        auto& ob = df.instructions[2];
        QCOMPARE(ob.trigger.size(), size_t(1));
        QCOMPARE(ob.trigger[0].keyword, std::string("RUN"));
        QCOMPARE(ob.args, Strings{"RUN echo child"});
        QCOMPARE(df.instructions[3].trigger[0].flag("chown").value_or(""), std::string("1"));
    }

    void keywordsAreCaseInsensitive() {
        auto df = parseOk("from a\nrun echo x\nCoPy a b\n");
        QCOMPARE(df.instructions[1].keyword, std::string("RUN"));
        QCOMPARE(df.instructions[2].keyword, std::string("COPY"));
    }

    void commentsAndBlankLines() {
        auto df = parseOk("# a comment\n\nFROM a\n   # indented comment\nRUN echo '# not a comment'\n\n");
        QCOMPARE(df.instructions.size(), size_t(2));
        QCOMPARE(df.instructions[1].args, Strings{"echo '# not a comment'"});
        QCOMPARE(df.instructions[1].line, 5);
    }

    void continuations() {
        auto df = parseOk("FROM a\nRUN echo one \\\n    two \\  \n# comment inside\n\n    three\nCMD x\n");
        QCOMPARE(df.instructions[1].args, Strings{"echo one     two     three"});
        QCOMPARE(df.instructions[1].line, 2);
        QCOMPARE(df.instructions[2].line, 7);  // line numbers stay true after a continuation
    }

    void continuationAtEndOfFile() {
        auto df = parseOk("FROM a\nRUN echo end \\\n");
        QCOMPARE(df.instructions[1].args, Strings{"echo end"});
    }

    void escapeDirective() {
        auto df = parseOk("# escape=`\nFROM a\nRUN dir C:\\ `\n  /b\nCOPY C:\\src\\ D:\\\n");
        QCOMPARE(df.escape, '`');
        QCOMPARE(df.instructions[1].args, Strings{"dir C:\\   /b"});
        QCOMPARE(df.instructions[2].args, (Strings{"C:\\src\\", "D:\\"}));
    }

    void syntaxDirectiveAndCase() {
        auto df = parseOk("# syntax=docker/dockerfile:1\n#ESCAPE = \\\nFROM a\n");
        QCOMPARE(df.syntax, std::string("docker/dockerfile:1"));
        QCOMPARE(df.escape, '\\');
    }

    void directivesOnlyAtTop() {
        // After a comment (or an unknown directive, or a blank line) directives are comments.
        auto df = parseOk("# hello\n# escape=`\nFROM a\nRUN a \\\n b\n");
        QCOMPARE(df.escape, '\\');
        QCOMPARE(df.instructions[1].args, Strings{"a  b"});
        auto df2 = parseOk("# unknown=1\n# escape=`\nFROM a\n");
        QCOMPARE(df2.escape, '\\');
        auto df3 = parseOk("\n# escape=`\nFROM a\n");
        QCOMPARE(df3.escape, '\\');
    }

    void heredocs() {
        auto df = parseOk("FROM a\nRUN <<EOF\necho $HOME\n# kept, not a comment\nEOF\n"
                          "COPY <<-\"END\" /etc/conf\n\tindented $X\n\tEND\nRUN cat <<A && cat <<'B'\n1\nA\n2\nB\nCMD done\n");
        auto& run = df.instructions[1];
        QCOMPARE(run.heredocs.size(), size_t(1));
        QCOMPARE(run.heredocs[0].name, std::string("EOF"));
        QCOMPARE(run.heredocs[0].content, std::string("echo $HOME\n# kept, not a comment\n"));
        QVERIFY(run.heredocs[0].expand);
        auto& copy = df.instructions[2];
        QCOMPARE(copy.heredocs[0].content, std::string("indented $X\n"));
        QVERIFY(!copy.heredocs[0].expand);
        QVERIFY(copy.heredocs[0].chomp);
        QCOMPARE(copy.args, (Strings{"<<-\"END\"", "/etc/conf"}));
        auto& two = df.instructions[3];
        QCOMPARE(two.heredocs.size(), size_t(2));
        QCOMPARE(two.heredocs[0].content, std::string("1\n"));
        QVERIFY(two.heredocs[0].expand);
        QCOMPARE(two.heredocs[1].content, std::string("2\n"));
        QVERIFY(!two.heredocs[1].expand);
        QCOMPARE(df.instructions[4].keyword, std::string("CMD"));
        QCOMPARE(df.instructions[4].line, 14);
    }

    void heredocNotInQuotesOrOtherInstructions() {
        auto df = parseOk("FROM a\nRUN echo '<<EOF'\nCMD cat <<EOF\n");
        QVERIFY(df.instructions[1].heredocs.empty());
        QVERIFY(df.instructions[2].heredocs.empty());
    }

    void errorsNameTheLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown instruction") << "FROM a\n\n# c\n\nRUN x\n\nCOPPY a b\n" << "Dockerfile:7: unknown instruction: COPPY";
        QTest::newRow("unknown flag") << "FROM a\nCOPY --form=x a b\n" << "Dockerfile:2: unknown flag: --form";
        QTest::newRow("flag not for this instruction") << "FROM a\nRUN --from=x a\n" << "Dockerfile:2: unknown flag: --from";
        QTest::newRow("flag without value") << "FROM a\nCOPY --from a b\n" << "Dockerfile:2: missing a value on flag: --from";
        QTest::newRow("instruction before FROM") << "# c\nRUN echo\nFROM a\n" << "Dockerfile:2: RUN before the first FROM";
        QTest::newRow("FROM two words") << "FROM a b\n" << "Dockerfile:1: FROM requires either one or three arguments";
        QTest::newRow("FROM bad AS") << "FROM a IS b\n" << "Dockerfile:1: FROM requires either one or three";
        QTest::newRow("bad stage name") << "FROM a AS 1st\n" << "Dockerfile:1: invalid name for build stage";
        QTest::newRow("empty RUN") << "FROM a\nRUN\n" << "Dockerfile:2: RUN requires at least one argument";
        QTest::newRow("COPY one arg") << "FROM a\nCOPY onlyone\n" << "Dockerfile:2: COPY requires at least two arguments";
        QTest::newRow("ADD --from") << "FROM a\nADD --from=x a b\n" << "Dockerfile:2: unknown flag: --from";
        QTest::newRow("ENV without =") << "FROM a\nENV A=1 B\n" << "Dockerfile:2: syntax error: can't find = in \"B\"";
        QTest::newRow("ENV key only") << "FROM a\nENV ALONE\n" << "Dockerfile:2: ENV ALONE: missing value";
        QTest::newRow("ENV blank name") << "FROM a\nENV =x\n" << "Dockerfile:2: ENV names can not be blank";
        QTest::newRow("LABEL empty") << "FROM a\nLABEL\n" << "Dockerfile:2: LABEL requires at least one argument";
        QTest::newRow("SHELL not JSON") << "FROM a\nSHELL /bin/bash -c\n" << "Dockerfile:2: SHELL requires the arguments to be in JSON form";
        QTest::newRow("HEALTHCHECK bad type") << "FROM a\nHEALTHCHECK RUN x\n" << "Dockerfile:2: unknown type \"RUN\" in HEALTHCHECK";
        QTest::newRow("HEALTHCHECK bad duration") << "FROM a\nHEALTHCHECK --interval=5x CMD x\n" << "Dockerfile:2: HEALTHCHECK --interval: invalid duration `5x`";
        QTest::newRow("HEALTHCHECK tiny") << "FROM a\nHEALTHCHECK --timeout=10us CMD x\n" << "cannot be less than 1ms";
        QTest::newRow("HEALTHCHECK retries") << "FROM a\nHEALTHCHECK --retries=x CMD x\n" << "Dockerfile:2: HEALTHCHECK --retries";
        QTest::newRow("ONBUILD ONBUILD") << "FROM a\nONBUILD ONBUILD RUN x\n" << "Dockerfile:2: chaining ONBUILD";
        QTest::newRow("ONBUILD FROM") << "FROM a\nONBUILD FROM b\n" << "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger";
        QTest::newRow("ONBUILD unknown") << "FROM a\nONBUILD NOPE x\n" << "Dockerfile:2: unknown instruction: NOPE";
        QTest::newRow("STOPSIGNAL two") << "FROM a\nSTOPSIGNAL A B\n" << "Dockerfile:2: STOPSIGNAL requires exactly one argument";
        QTest::newRow("WORKDIR empty") << "FROM a\nWORKDIR\n" << "Dockerfile:2: WORKDIR requires exactly one argument";
        QTest::newRow("EXPOSE empty") << "FROM a\nEXPOSE\n" << "Dockerfile:2: EXPOSE requires at least one argument";
        QTest::newRow("VOLUME empty JSON entry") << "FROM a\nVOLUME [\"\"]\n" << "Dockerfile:2: VOLUME specified can not be an empty string";
        QTest::newRow("unterminated heredoc") << "FROM a\nRUN <<EOF\necho\n" << "Dockerfile:2: unterminated heredoc <<EOF";
        QTest::newRow("heredoc as destination") << "FROM a\nCOPY x <<EOF\nhi\nEOF\n" << "Dockerfile:2: COPY destination cannot be a heredoc";
        QTest::newRow("bad escape") << "# escape=x\nFROM a\n" << "Dockerfile:1: invalid escape token 'x'";
        QTest::newRow("two escapes") << "# escape=`\n# escape=\\\nFROM a\n" << "Dockerfile:2: only one escape parser directive";
        QTest::newRow("empty file") << "# only a comment\n\n" << "Dockerfile: file with no instructions";
        QTest::newRow("no FROM") << "ARG A=1\n" << "no FROM instruction";
        QTest::newRow("line after continuation") << "FROM a\nRUN a \\\n b \\\n c\nRUNN x\n" << "Dockerfile:5: unknown instruction: RUNN";
    }
    void errorsNameTheLine() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        auto e = parseError(text.toStdString());
        QVERIFY2(e.find(message.toStdString()) != std::string::npos, e.c_str());
    }

    void errorUsesTheFileName() {
        auto r = parseDockerfile("FROM a\nBAD x\n", "sub/Dockerfile.dev");
        QVERIFY(!r);
        QCOMPARE(r.error().message(), std::string("sub/Dockerfile.dev:2: unknown instruction: BAD"));
    }

    void crlfLines() {
        auto df = parseOk("FROM a\r\nRUN echo \\\r\n  x\r\n");
        QCOMPARE(df.instructions[1].args, Strings{"echo   x"});
    }

    void durations() {
        QCOMPARE(*parseDuration("30s"), int64_t(30'000'000'000));
        QCOMPARE(*parseDuration("1h2m3s"), int64_t(3723'000'000'000));
        QCOMPARE(*parseDuration("1.5s"), int64_t(1'500'000'000));
        QCOMPARE(*parseDuration("0"), int64_t(0));
        QVERIFY(!parseDuration("5"));
        QVERIFY(!parseDuration("s"));
        QVERIFY(!parseDuration(""));
    }
};

BERTH_GUILESS_TEST_MAIN(TestDockerfile)
#include "tst_dockerfile.moc"
