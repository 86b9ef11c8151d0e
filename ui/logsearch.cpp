#include "logsearch.h"

#include "logmodel.h"

#include <QFile>
#include <QPointer>
#include <QThreadPool>

#include <vector>

namespace berth::ui {

LogSearch::LogSearch(LogModel* model, QObject* parent) : QObject(parent), m_model(model) {}

LogSearch::~LogSearch() { cancel(); }

void LogSearch::cancel() {
    if (m_cancel) m_cancel->store(true);
    m_cancel.reset();
}

void LogSearch::find(const QRegularExpression& re, int fromRow, bool forward) {
    cancel();
    const int rows = m_model->rowCount();
    if (rows == 0 || !re.isValid() || re.pattern().isEmpty()) {
        emit notFound();
        return;
    }
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancelled;
    // The worker needs line boundaries only for the rows known now: the starting offset
    // and the row count are enough, it counts newlines itself.
    const QString path = m_model->logFile();
    const qint64 startOffset = m_model->lineOffset(0);
    QPointer<LogSearch> self(this);
    QThreadPool::globalInstance()->start([=] {
        QFile f(path);
        int hit = -1;
        if (f.open(QIODevice::ReadOnly)) {
            f.seek(startOffset);
            // One pass over the known rows collecting matches near fromRow: first match
            // after it (forward) or last before it (backward), with wrap-around.
            int firstMatch = -1, lastBefore = -1, firstAfter = -1, lastMatch = -1;
            for (int row = 0; row < rows && !cancelled->load(); ++row) {
                const QByteArray raw = f.readLine(qint64(1) << 20);
                if (raw.isEmpty()) break;
                if (!re.match(LogModel::stripAnsi(LogModel::parseLine(raw).text)).hasMatch()) continue;
                if (firstMatch < 0) firstMatch = row;
                lastMatch = row;
                if (row < fromRow) lastBefore = row;
                if (row > fromRow && firstAfter < 0) {
                    firstAfter = row;
                    if (forward) break;
                }
            }
            hit = forward ? (firstAfter >= 0 ? firstAfter : firstMatch) : (lastBefore >= 0 ? lastBefore : lastMatch);
        }
        if (cancelled->load()) return;
        QMetaObject::invokeMethod(
            self.data(), [self, hit, cancelled] {
                if (!self || cancelled->load()) return;
                if (hit >= 0) emit self->found(hit);
                else emit self->notFound();
            },
            Qt::QueuedConnection);
    });
}

} // namespace berth::ui
