#pragma once
// The log a chatty container writes, for the log view's test and its latency benchmark
// (tests/bench/desktop/log_view_bench.cpp): json-file lines with colour codes, a writer
// thread appending them 100 lines at a time every 10 ms (10,000 lines a second), and a
// shown log view following an empty log.

#include "logview.h"
#include "test_support.h"

#include "container/log_reader.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtTest/QtTest>

#include <atomic>
#include <chrono>
#include <thread>

namespace berth::test {

inline QByteArray logLine(int i) {
    return QStringLiteral(R"({"log":"line %1 \u001b[32mok\u001b[0m some payload text to make it realistic\n","stream":"%2","time":"2026-11-26T21:00:00.%3Z"})" "\n")
        .arg(i)
        .arg(i % 7 == 0 ? QStringLiteral("stderr") : QStringLiteral("stdout"))
        .arg(i % 1000, 3, 10, QLatin1Char('0'))
        .toUtf8();
}

// The text the view shows for logLine(i).
inline QString logText(int i) { return QStringLiteral("line %1 ok some payload text to make it realistic").arg(i); }

class ChattyWriter {
public:
    ChattyWriter(const QString& path, int total)
        : m_thread([this, path, total] {
              QFile f(path);
              if (f.open(QIODevice::Append)) {
                  for (int i = 0; i < total; i += 100) {
                      QByteArray chunk;
                      for (int j = i; j < i + 100; ++j) chunk += logLine(j);
                      f.write(chunk);
                      f.flush();
                      std::this_thread::sleep_for(std::chrono::milliseconds(10));
                  }
              }
              m_done = true;
          }) {}
    ~ChattyWriter() { m_thread.join(); }
    bool done() const { return m_done; }

private:
    std::atomic_bool m_done{false};
    std::thread m_thread;
};

// An empty log in a temporary directory and a 900x600 LogView following it, shown.
struct FollowedLog {
    TempDir dir;
    QString path = QString::fromStdString((dir.path() / "log.jsonl").string());
    ui::LogView view;

    FollowedLog() {
        QFile(path).open(QIODevice::WriteOnly);
        view.resize(900, 600);
        view.show();
        view.setLog(*berth::container::openJsonLogFile(dir.path()));
    }
    bool exposed() { return QTest::qWaitForWindowExposed(&view); }
};

inline QString loadAverage() {
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2) : QString();
}

} // namespace berth::test
