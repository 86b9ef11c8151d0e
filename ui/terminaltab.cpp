#include "terminaltab.h"

#include "terminalscreen.h"
#include "terminalsession.h"
#include "terminalview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace berth::ui {

struct TerminalTab::Entry {
    TerminalScreen* screen = nullptr;
    TerminalView* view = nullptr;
    TerminalSession* session = nullptr;  // null once the shell ended
    QString ended;                       // why it ended, shown in the bar
};

TerminalTab::TerminalTab(EngineClient* client, QWidget* parent) : QWidget(parent), m_client(client) {
    setObjectName(QStringLiteral("terminalTab"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(2);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 0, 4, 0);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("terminalStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command = new QComboBox(this);
    m_command->setObjectName(QStringLiteral("terminalCommand"));
    m_command->setEditable(true);
    m_command->addItems({QStringLiteral("/bin/sh"), QStringLiteral("/bin/bash"), QStringLiteral("/bin/ash")});
    m_command->setToolTip(tr("The command the terminal runs in the container"));
    m_command->setAccessibleName(tr("Shell command"));
    m_start = new QPushButton(tr("Start Shell"), this);
    m_start->setObjectName(QStringLiteral("terminalStart"));
    m_end = new QPushButton(tr("End Shell"), this);
    m_end->setObjectName(QStringLiteral("terminalEnd"));
    bar->addWidget(m_status, 1);
    bar->addWidget(m_command);
    bar->addWidget(m_start);
    bar->addWidget(m_end);
    layout->addLayout(bar);
    m_stack = new QStackedWidget(this);
    m_placeholder = new QLabel(this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_stack->addWidget(m_placeholder);
    layout->addWidget(m_stack, 1);
    connect(m_start, &QPushButton::clicked, this, &TerminalTab::startShell);
    connect(m_end, &QPushButton::clicked, this, &TerminalTab::endShell);
    updateBar();
}

TerminalTab::~TerminalTab() {
    // Sessions are children: each hangs its shell up and waits for its exec to return.
    qDeleteAll(m_entries);
}

TerminalSession* TerminalTab::session(const QString& id) const {
    Entry* e = m_entries.value(id);
    return e ? e->session : nullptr;
}
TerminalScreen* TerminalTab::screen(const QString& id) const {
    Entry* e = m_entries.value(id);
    return e ? e->screen : nullptr;
}
TerminalView* TerminalTab::view(const QString& id) const {
    Entry* e = m_entries.value(id);
    return e ? e->view : nullptr;
}
QString TerminalTab::statusText() const { return m_status->text(); }

void TerminalTab::showContainer(const QString& id, const QString& name, bool running) {
    const bool changed = id != m_id;
    m_id = id;
    m_name = name;
    m_running = running;
    if (running && isVisible() && !m_entries.contains(id)) startShell();  // first look: a shell at once
    updateBar();
    if (changed && m_entries.contains(id)) m_entries[id]->view->setFocus();
}

void TerminalTab::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (m_running && !m_id.isEmpty() && !m_entries.contains(m_id)) startShell();
}

void TerminalTab::keepSessionsOf(const QSet<QString>& running, const QSet<QString>& listed) {
    for (const QString& id : m_entries.keys()) {
        if (!listed.contains(id)) dropEntry(id);
        else if (!running.contains(id) && m_entries[id]->session) m_entries[id]->session->hangUp();
    }
    updateBar();
}

void TerminalTab::dropEntry(const QString& id) {
    Entry* e = m_entries.take(id);
    if (!e) return;
    if (e->session) {
        // Hung up, it goes once its exec has returned: the window does not wait for it.
        e->session->disconnect(this);
        connect(e->session, &TerminalSession::finished, e->session, &QObject::deleteLater);
        e->session->hangUp();
    }
    delete e->view;
    delete e->screen;
    delete e;
}

void TerminalTab::startShell() {
    if (m_id.isEmpty() || !m_running) return;
    const QString id = m_id;
    dropEntry(id);
    auto* e = new Entry;
    m_entries.insert(id, e);
    e->screen = new TerminalScreen(24, 80, this);
    e->view = new TerminalView(e->screen, m_stack);
    m_stack->addWidget(e->view);
    m_stack->setCurrentWidget(e->view);
    // Its size in cells as laid out now, before the shell starts.
    e->view->resize(m_stack->size());
    e->session = new TerminalSession(this);
    TerminalSession* s = e->session;
    connect(e->screen, &TerminalScreen::input, s, &TerminalSession::write);
    connect(s, &TerminalSession::output, e->screen, &TerminalScreen::feed);
    connect(e->view, &TerminalView::sizeChanged, s, &TerminalSession::resize);
    connect(s, &TerminalSession::finished, this, [this, id, s](int code, const QString& error) {
        Entry* entry = m_entries.value(id);
        if (entry && entry->session == s) {
            entry->session = nullptr;
            entry->view->setReadOnly(true);
            entry->ended = error.isEmpty() ? tr("The shell exited with code %1.").arg(code)
                                           : tr("The shell could not run: %1").arg(error);
            updateBar();
        }
        s->deleteLater();
    });
    QString error;
    QStringList command = QProcess::splitCommand(m_command->currentText());
    if (command.isEmpty()) command = {QStringLiteral("/bin/sh")};
    if (!s->start(m_client, id, command, e->screen->rows(), e->screen->cols(), &error)) {
        e->session = nullptr;
        e->view->setReadOnly(true);
        e->ended = tr("The shell could not run: %1").arg(error);
        s->deleteLater();
    }
    updateBar();
    e->view->setFocus();
}

void TerminalTab::endShell() {
    if (TerminalSession* s = session(m_id)) s->hangUp();
}

void TerminalTab::updateBar() {
    Entry* e = m_entries.value(m_id);
    if (e) m_stack->setCurrentWidget(e->view);
    else m_stack->setCurrentWidget(m_placeholder);
    const bool live = e && e->session;
    QString status;
    if (m_id.isEmpty()) status = tr("Select one running container to open a shell in it.");
    else if (live) status = tr("Shell in %1. Ctrl+Shift+C copies, Ctrl+Shift+V pastes, Shift+PageUp scrolls back.").arg(m_name);
    else if (e) status = e->ended;
    else if (!m_running) status = tr("%1 is not running: start it to open a shell in it.").arg(m_name);
    else status = tr("No shell open in %1.").arg(m_name);
    m_status->setText(status);
    m_placeholder->setText(m_id.isEmpty() || m_running ? QString() : status);
    m_start->setText(e ? tr("Restart Shell") : tr("Start Shell"));
    m_start->setEnabled(!m_id.isEmpty() && m_running);
    m_command->setEnabled(!m_id.isEmpty() && m_running);
    m_end->setEnabled(live);
}

} // namespace berth::ui
