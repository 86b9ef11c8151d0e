#include "logview.h"

#include "logdelegate.h"
#include "loglinesview.h"
#include "logmodel.h"
#include "logsearch.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPointer>
#include <QSaveFile>
#include <QScrollBar>
#include <QShortcut>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace berth::ui {

LogView::LogView(QWidget* parent)
    : QWidget(parent), m_model(new LogModel(this)), m_delegate(new LogDelegate(this)),
      m_search(new LogSearch(m_model, this)), m_list(new LogLinesView(this)) {
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    auto tool = [this, bar](const QString& icon, const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setIcon(QIcon(icon));
        b->setText(text);
        b->setToolTip(tip);
        b->setAccessibleName(text);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setAutoRaise(true);
        bar->addWidget(b);
        return b;
    };
    m_followButton = tool(QStringLiteral(":/icons/follow.svg"), tr("Follow"), tr("Keep showing the newest lines (Ctrl+End)"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_timestampsButton = tool(QStringLiteral(":/icons/clock.svg"), tr("Timestamps"), tr("Show when each line was written (Ctrl+Shift+T)"));
    m_timestampsButton->setCheckable(true);
    bar->addSpacing(12);
    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setPlaceholderText(tr("Search logs (Ctrl+F)"));
    m_searchEdit->setAccessibleName(tr("Search logs"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->setMinimumWidth(220);
    bar->addWidget(m_searchEdit, 1);
    m_regex = new QCheckBox(tr("Regex"), this);
    m_regex->setToolTip(tr("Treat the search text as a regular expression"));
    bar->addWidget(m_regex);
    auto* prev = tool(QStringLiteral(":/icons/up.svg"), tr("Previous"), tr("Previous match (Shift+F3)"));
    auto* next = tool(QStringLiteral(":/icons/down.svg"), tr("Next"), tr("Next match (F3)"));
    prev->setToolButtonStyle(Qt::ToolButtonIconOnly);
    next->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_status = new QLabel(this);
    m_status->setMinimumWidth(90);
    bar->addWidget(m_status);
    auto* saveButton = tool(QStringLiteral(":/icons/save.svg"), tr("Save…"), tr("Save the log to a file (Ctrl+Shift+S)"));

    m_list->setModel(m_model);
    m_list->setItemDelegate(m_delegate);
    // LogLinesView: every line the same height, layout work independent of the log's length.
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setAccessibleName(tr("Log lines"));
    m_list->setFrameShape(QFrame::StyledPanel);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("logNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("QLabel { color: #d73a49; font-weight: 600; padding: 2px 4px; }"));
    m_note->hide();
    layout->addWidget(m_note);
    layout->addWidget(m_list, 1);

    connect(m_model, &QAbstractItemModel::rowsInserted, this, &LogView::onRowsInserted);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogView::onRowsInserted);
    connect(m_list->verticalScrollBar(), &QScrollBar::actionTriggered, this,
            [this] { QTimer::singleShot(0, this, &LogView::onUserScrolled); });
    connect(m_followButton, &QToolButton::toggled, this, &LogView::setFollowing);
    connect(m_timestampsButton, &QToolButton::toggled, this, [this](bool on) {
        m_delegate->setShowTimestamps(on);
        m_list->viewport()->update();
    });
    connect(m_searchEdit, &QLineEdit::textChanged, this, &LogView::updateHighlight);
    connect(m_regex, &QCheckBox::toggled, this, &LogView::updateHighlight);
    connect(m_searchEdit, &QLineEdit::returnPressed, this, [this] { search(true); });
    connect(next, &QToolButton::clicked, this, [this] { search(true); });
    connect(prev, &QToolButton::clicked, this, [this] { search(false); });
    connect(saveButton, &QToolButton::clicked, this, &LogView::save);
    connect(m_search, &LogSearch::found, this, [this](int row) {
        setFollowing(false);
        const QModelIndex idx = m_model->index(row);
        m_list->setCurrentIndex(idx);
        m_list->scrollTo(idx, QAbstractItemView::PositionAtCenter);
        m_status->setText(tr("Line %1").arg(row + 1));
    });
    connect(m_search, &LogSearch::notFound, this, [this] { m_status->setText(tr("No match")); });

    auto* find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_searchEdit->setFocus();
        m_searchEdit->selectAll();
    });
    auto* findNext = new QShortcut(QKeySequence::FindNext, this);
    connect(findNext, &QShortcut::activated, this, [this] { search(true); });
    auto* findPrev = new QShortcut(QKeySequence::FindPrevious, this);
    connect(findPrev, &QShortcut::activated, this, [this] { search(false); });
    auto* stamps = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), this);
    connect(stamps, &QShortcut::activated, m_timestampsButton, &QToolButton::toggle);
    auto* saveKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this);
    connect(saveKey, &QShortcut::activated, this, &LogView::save);
    auto* end = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_End), this);
    connect(end, &QShortcut::activated, this, [this] { setFollowing(true); });
}

void LogView::setNote(const QString& text) {
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

QString LogView::note() const { return m_note->text(); }

void LogView::setLog(std::shared_ptr<LogFile> log) {
    m_search->cancel();
    m_status->clear();
    m_model->setLog(std::move(log));
    setFollowing(true);
}

void LogView::setFollowing(bool on) {
    if (m_follow != on) {
        m_follow = on;
        QSignalBlocker block(m_followButton);
        m_followButton->setChecked(on);
        emit followingChanged(on);
    }
    if (on) m_list->scrollToBottom();
}

void LogView::onRowsInserted() {
    if (m_follow) m_list->scrollToBottom();
}

void LogView::onUserScrolled() {
    const QScrollBar* sb = m_list->verticalScrollBar();
    setFollowing(sb->value() >= sb->maximum());
}

void LogView::updateHighlight() {
    const QString text = m_searchEdit->text();
    QRegularExpression re(m_regex->isChecked() ? text : QRegularExpression::escape(text),
                          QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid()) {
        m_status->setText(tr("Invalid pattern"));
        re = QRegularExpression();
    } else {
        m_status->clear();
    }
    m_delegate->setHighlight(re);
    m_list->viewport()->update();
}

void LogView::search(bool forward) {
    const QString text = m_searchEdit->text();
    if (text.isEmpty()) return;
    QRegularExpression re(m_regex->isChecked() ? text : QRegularExpression::escape(text),
                          QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid()) {
        m_status->setText(tr("Invalid pattern"));
        return;
    }
    const int from = m_list->currentIndex().isValid() ? m_list->currentIndex().row()
                                                      : (forward ? -1 : m_model->rowCount());
    m_status->setText(tr("Searching…"));
    m_search->find(re, from, forward);
}

void LogView::save() {
    if (!m_model->log() || m_model->rowCount() == 0) return;
    const QString file = QFileDialog::getSaveFileName(this, tr("Save Log"), QStringLiteral("container.log"),
                                                      tr("Text files (*.log *.txt);;All files (*)"));
    if (file.isEmpty()) return;
    std::shared_ptr<LogFile> log = m_model->log();
    const qint64 from = m_model->lineOffset(0), to = m_model->endOffset();
    const bool stamps = m_delegate->showTimestamps();
    QPointer<LogView> self(this);
    // Writing a large log is disk work: on a worker, with the outcome reported back.
    QThreadPool::globalInstance()->start([=] {
        QSaveFile out(file);
        bool ok = out.open(QIODevice::WriteOnly);
        if (ok) {
            auto read = log->forEachLine(from, to, [&](const berth::LogLine& raw) {
                const LogLine l = LogModel::fromEngine(raw);
                QString text = LogModel::stripAnsi(l.text);
                if (stamps && l.time.isValid()) text.prepend(l.time.toString(Qt::ISODateWithMs) + QLatin1Char(' '));
                ok = out.write((text + QLatin1Char('\n')).toUtf8()) >= 0;
                return ok;
            });
            ok = ok && read.has_value();
        }
        ok = ok && out.commit();
        const QString err = ok ? QString() : out.errorString();
        QMetaObject::invokeMethod(self.data(), [self, ok, err, file] {
            if (!self) return;
            if (!ok)
                QMessageBox::warning(self, tr("Save Log"), tr("The log could not be saved to %1.").arg(file),
                                     QMessageBox::Ok);
            else
                self->m_status->setText(tr("Saved"));
        }, Qt::QueuedConnection);
    });
}

} // namespace berth::ui
