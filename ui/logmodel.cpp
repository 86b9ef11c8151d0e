#include "logmodel.h"

#include "logindexer.h"

#include <QPointer>
#include <QSocketNotifier>
#include <QRegularExpression>

namespace berth::ui {

LogModel::LogModel(QObject* parent) : QAbstractListModel(parent), m_cache(4000) {
    m_deferred.setSingleShot(true);
    connect(&m_deferred, &QTimer::timeout, this, &LogModel::applyBatch);
    m_sinceApply.start();
}

LogModel::~LogModel() { m_indexer.reset(); }

void LogModel::setLog(std::shared_ptr<LogFile> log) {
    m_indexer.reset();
    delete m_notifier;
    m_notifier = nullptr;
    ++m_generation;
    beginResetModel();
    m_log = std::move(log);
    m_starts.clear();
    m_end = 0;
    m_cache.clear();
    endResetModel();
    if (!m_log) return;
    const quint64 gen = m_generation;
    QPointer<LogModel> self(this);
    m_indexer = std::make_unique<LogIndexer>(m_log, [self, gen] {
        QMetaObject::invokeMethod(
            self.data(), [self, gen] {
                if (self && self->m_generation == gen) self->drain();
            },
            Qt::QueuedConnection);
    });
    if (m_log->changeFd() >= 0) {
        m_notifier = new QSocketNotifier(m_log->changeFd(), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            m_log->drainChanges();
            if (m_indexer) m_indexer->wake();
        });
    }
}

void LogModel::drain() {
    // At most one insert per refresh interval, however fast the log grows.
    if (m_sinceApply.elapsed() < m_refreshMs) {
        if (!m_deferred.isActive()) m_deferred.start(int(m_refreshMs - m_sinceApply.elapsed()));
        return;
    }
    applyBatch();
}

void LogModel::applyBatch() {
    if (!m_indexer) return;
    m_sinceApply.restart();
    LogIndexer::Batch batch = m_indexer->take();
    if (batch.truncated) {
        beginResetModel();
        m_starts.clear();
        m_cache.clear();
        endResetModel();
    }
    if (batch.starts.empty()) return;
    const int first = int(m_starts.size());
    const int count = int(batch.starts.size());
    beginInsertRows({}, first, first + count - 1);
    m_starts.insert(m_starts.end(), batch.starts.begin(), batch.starts.end());
    m_end = batch.end;
    endInsertRows();
    emit linesAppended(count);
}

int LogModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_starts.size()); }

LogLine LogModel::fromEngine(const berth::LogLine& e) {
    LogLine l;
    l.text = QString::fromStdString(e.text);
    if (l.text.endsWith(QLatin1Char('\n'))) l.text.chop(1);
    if (l.text.endsWith(QLatin1Char('\r'))) l.text.chop(1);
    l.stderrStream = e.stream == "stderr";
    if (e.timeNano > 0) l.time = QDateTime::fromMSecsSinceEpoch(e.timeNano / 1000000, Qt::UTC);
    return l;
}

QString LogModel::stripAnsi(const QString& text) {
    static const QRegularExpression esc(QStringLiteral("\x1b\\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\\\-_]"));
    if (!text.contains(QChar(0x1b))) return text;
    QString out = text;
    out.remove(esc);
    return out;
}

LogLine LogModel::line(int row) const {
    if (row < 0 || size_t(row) >= m_starts.size()) return {};
    if (LogLine* cached = m_cache.object(row)) return *cached;
    const qint64 start = m_starts[size_t(row)];
    const qint64 end = size_t(row) + 1 < m_starts.size() ? m_starts[size_t(row) + 1] : m_end;
    if (!m_log) return {};
    // Lines longer than 1 MiB are shown cut (the engine reads at most that): a view row is
    // no place for more.
    auto read = m_log->lineAt(start, end);
    if (!read) return {};
    auto* l = new LogLine(fromEngine(*read));
    LogLine copy = *l;
    m_cache.insert(row, l);
    return copy;
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    switch (role) {
    case Qt::DisplayRole:
    case PlainTextRole: return stripAnsi(line(index.row()).text);
    case TextRole: return line(index.row()).text;
    case StderrRole: return line(index.row()).stderrStream;
    case TimeRole: return line(index.row()).time;
    }
    return {};
}

} // namespace berth::ui
