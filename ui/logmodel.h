#pragma once
// LogModel: a virtual list over a container's log (the engine's LogFile). It holds only the
// line index; a row's text is read when a view asks for it (the view asks only for the
// rows on screen), with a small cache. New lines arrive from the
// LogIndexer worker and are inserted in one batch per refresh interval, so a log growing by
// thousands of lines a second costs the GUI one insert every 100 ms.

#include "berth/containers.h"

#include <QAbstractListModel>
#include <QCache>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

#include <memory>
#include <vector>

class QSocketNotifier;

namespace berth::ui {

class LogIndexer;

struct LogLine {
    QString text;  // without the trailing newline; ANSI sequences kept for the delegate
    bool stderrStream = false;
    QDateTime time;
};

class LogModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { TextRole = Qt::UserRole + 1, StderrRole, TimeRole, PlainTextRole };
    explicit LogModel(QObject* parent = nullptr);
    ~LogModel() override;

    // Shows a log (Containers::openLog); null clears the model. The log may be empty yet.
    void setLog(std::shared_ptr<LogFile> log);
    const std::shared_ptr<LogFile>& log() const { return m_log; }
    int64_t endOffset() const { return m_end; }
    void setRefreshIntervalMs(int ms) { m_refreshMs = ms; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // Reads one line. Malformed lines come back raw.
    LogLine line(int row) const;
    static LogLine fromEngine(const berth::LogLine& l);
    // Text with ANSI escape sequences removed.
    static QString stripAnsi(const QString& text);
    qint64 lineOffset(int row) const { return m_starts[size_t(row)]; }

signals:
    void linesAppended(int count);

private:
    void drain();
    void applyBatch();

    std::shared_ptr<LogFile> m_log;
    std::vector<qint64> m_starts;
    qint64 m_end = 0;
    std::unique_ptr<LogIndexer> m_indexer;
    QSocketNotifier* m_notifier = nullptr;
    mutable QCache<int, LogLine> m_cache;
    int m_refreshMs = 100;
    QElapsedTimer m_sinceApply;
    QTimer m_deferred;
    quint64 m_generation = 0;  // drops notifications from a previous file's indexer
};

} // namespace berth::ui
