#include "themewatcher.h"

#include "theme.h"

#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QStandardPaths>

namespace berth::ui {

ThemeWatcher::ThemeWatcher(QApplication& app, bool dark)
    : QObject(&app), m_app(app), m_dark(dark), m_watcher(new QFileSystemWatcher(this)) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, &ThemeWatcher::recheck);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
        watchFiles();  // editors and dconf replace the file: watch the new one
        m_debounce.start();
    });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        watchFiles();
        m_debounce.start();
    });
    watchFiles();
    app.installEventFilter(this);
}

void ThemeWatcher::watchFiles() {
    const QString config = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    const QStringList files = {config + QStringLiteral("/kdeglobals"), config + QStringLiteral("/gtk-3.0/settings.ini"),
                               config + QStringLiteral("/dconf/user")};
    for (const QString& f : files) {
        if (QFileInfo::exists(f) && !m_watcher->files().contains(f)) m_watcher->addPath(f);
        // A file that does not exist yet shows up as a change of its folder.
        const QString dir = QFileInfo(f).absolutePath();
        if (QFileInfo::exists(dir) && !m_watcher->directories().contains(dir)) m_watcher->addPath(dir);
    }
}

bool ThemeWatcher::eventFilter(QObject* watched, QEvent* event) {
    if (watched == &m_app && event->type() == QEvent::ThemeChange) m_debounce.start();
    return QObject::eventFilter(watched, event);
}

void ThemeWatcher::recheck() {
    const bool dark = Theme::systemPrefersDark();
    if (dark == m_dark) return;
    m_dark = dark;
    Theme::apply(m_app, dark);
    emit darkChanged(dark);
}

} // namespace berth::ui
