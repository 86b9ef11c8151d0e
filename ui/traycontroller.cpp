#include "traycontroller.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QWidget>

namespace berth::ui {

TrayController::TrayController(QWidget* window) : QObject(window), m_window(window) {
    if (!QSystemTrayIcon::isSystemTrayAvailable()) return;
    m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/berth.svg")), this);
    m_menu = new QMenu(window);
    m_menu->addAction(tr("Show Berth"), this, &TrayController::showRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit"), this, &TrayController::quitRequested);
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick) emit showRequested();
    });
    setRunningCount(0);
    m_tray->show();
}

TrayController::~TrayController() { delete m_menu; }

void TrayController::retranslate() {
    const int running = m_running;
    m_running = -1;
    setRunningCount(running);
}

bool TrayController::isAvailable() const { return m_tray != nullptr; }

void TrayController::setRunningCount(int running) {
    if (running == m_running) return;
    m_running = running;
    if (!m_tray) return;
    m_tray->setToolTip(tr("Berth: %n container(s) running", nullptr, running));
    // The count drawn on the icon, so it can be read without hovering.
    QPixmap pm = QIcon(QStringLiteral(":/icons/berth.svg")).pixmap(64, 64);
    if (running > 0) {
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(QColor(0x2e, 0xa0, 0x43));
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRect(30, 30, 34, 34));
        p.setPen(Qt::white);
        QFont f = QApplication::font();
        f.setPixelSize(22);
        f.setBold(true);
        p.setFont(f);
        p.drawText(QRect(30, 30, 34, 34), Qt::AlignCenter, running > 99 ? QStringLiteral("99") : QString::number(running));
    }
    m_tray->setIcon(QIcon(pm));
}

void TrayController::notify(const QString& title, const QString& text) {
    m_lastMessage = title + QStringLiteral(": ") + text;
    if (m_tray && QSystemTrayIcon::supportsMessages()) m_tray->showMessage(title, text, QSystemTrayIcon::Warning, 8000);
}

void TrayController::notifyDied(const QString& name, int exitCode) {
    notify(tr("Container exited"), tr("%1 exited with code %2.").arg(name).arg(exitCode));
}

void TrayController::notifyOom(const QString& name) {
    notify(tr("Container out of memory"), tr("%1 was killed because it ran out of memory.").arg(name));
}

} // namespace berth::ui
