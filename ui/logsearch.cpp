#include "logsearch.h"

#include "logmodel.h"

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
    // The worker needs line boundaries only for the rows known now: the first row's
    // offset, the end of the last one and the row count; it reads them in order.
    std::shared_ptr<LogFile> log = m_model->log();
    const qint64 startOffset = m_model->lineOffset(0);
    const qint64 endOffset = m_model->endOffset();
    QPointer<LogSearch> self(this);
    QThreadPool::globalInstance()->start([=] {
        // One pass over the known rows collecting matches near fromRow: first match after
        // it (forward) or last before it (backward), with wrap-around.
        int firstMatch = -1, lastBefore = -1, firstAfter = -1, lastMatch = -1;
        int row = 0;
        (void)log->forEachLine(startOffset, endOffset, [&](const berth::LogLine& l) {
            const int r = row++;
            if (r >= rows || cancelled->load()) return false;
            if (!re.match(LogModel::stripAnsi(LogModel::fromEngine(l).text)).hasMatch()) return true;
            if (firstMatch < 0) firstMatch = r;
            lastMatch = r;
            if (r < fromRow) lastBefore = r;
            if (r > fromRow && firstAfter < 0) {
                firstAfter = r;
                if (forward) return false;
            }
            return true;
        });
        const int hit = forward ? (firstAfter >= 0 ? firstAfter : firstMatch) : (lastBefore >= 0 ? lastBefore : lastMatch);
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
