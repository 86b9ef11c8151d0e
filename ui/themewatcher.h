#pragma once
// ThemeWatcher: keeps the palette following the desktop while the app runs. It watches the
// files the desktops keep their colour preference in (KDE's kdeglobals, GTK's settings.ini,
// GNOME's dconf database) and Qt's own ThemeChange/PaletteChange notices, asks
// Theme::systemPrefersDark() again after a change (debounced), and re-applies the palette
// when the answer changed. BERTH_DARK pins the choice.

#include <QObject>
#include <QTimer>

class QApplication;
class QFileSystemWatcher;

namespace berth::ui {

class ThemeWatcher : public QObject {
    Q_OBJECT
public:
    ThemeWatcher(QApplication& app, bool dark);
    bool isDark() const { return m_dark; }
    // Re-reads the system preference now and applies it when it changed.
    void recheck();

signals:
    void darkChanged(bool dark);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void watchFiles();

    QApplication& m_app;
    bool m_dark;
    QFileSystemWatcher* m_watcher;
    QTimer m_debounce;
};

} // namespace berth::ui
