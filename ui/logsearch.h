#pragma once
// LogSearch: finds the next (or previous) log line matching a pattern, on a worker thread,
// by reading the log in order from the first row's offset (LogFile::forEachLine); the GUI
// never scans a million lines. A newer search cancels the one before.

#include <QObject>
#include <QRegularExpression>

#include <atomic>
#include <memory>

namespace berth::ui {

class LogModel;

class LogSearch : public QObject {
    Q_OBJECT
public:
    explicit LogSearch(LogModel* model, QObject* parent = nullptr);
    ~LogSearch() override;
    // Searches from `fromRow` (exclusive) forward or backward, wrapping around once.
    void find(const QRegularExpression& re, int fromRow, bool forward);
    void cancel();

signals:
    void found(int row);
    void notFound();

private:
    LogModel* m_model;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace berth::ui
