#include "theme.h"

#include <QApplication>
#include <QFile>
#include <QPalette>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>

namespace berth::ui {

bool Theme::systemPrefersDark() {
    const QByteArray forced = qgetenv("BERTH_DARK");
    if (!forced.isEmpty()) return forced == "1";
    if (qgetenv("GTK_THEME").toLower().contains("dark")) return true;
    // GTK 3 applications' own preference.
    const QString gtk = QStandardPaths::locate(QStandardPaths::GenericConfigLocation, QStringLiteral("gtk-3.0/settings.ini"));
    if (!gtk.isEmpty()) {
        QSettings s(gtk, QSettings::IniFormat);
        if (s.value(QStringLiteral("Settings/gtk-application-prefer-dark-theme")).toString() == QLatin1String("1") ||
            s.value(QStringLiteral("Settings/gtk-theme-name")).toString().contains(QLatin1String("dark"), Qt::CaseInsensitive))
            return true;
    }
    // KDE writes its colour scheme name to kdeglobals.
    const QString kde = QStandardPaths::locate(QStandardPaths::GenericConfigLocation, QStringLiteral("kdeglobals"));
    if (!kde.isEmpty()) {
        QSettings s(kde, QSettings::IniFormat);
        if (s.value(QStringLiteral("General/ColorScheme")).toString().contains(QLatin1String("Dark"), Qt::CaseInsensitive))
            return true;
    }
    // GNOME: gsettings, when present and quick.
    if (!QStandardPaths::findExecutable(QStringLiteral("gsettings")).isEmpty() && qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS")) {
        QProcess p;
        p.start(QStringLiteral("gsettings"), {QStringLiteral("get"), QStringLiteral("org.gnome.desktop.interface"), QStringLiteral("color-scheme")});
        if (p.waitForFinished(300) && p.readAllStandardOutput().contains("dark")) return true;
    }
    return false;
}

void Theme::apply(QApplication& app, bool dark) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    if (dark) {
        const QColor window(0x26, 0x28, 0x2d), base(0x1d, 0x1f, 0x23), text(0xe6, 0xe6, 0xe6), accent(0x3d, 0x8b, 0xfd);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor(0x24, 0x26, 0x2b));
        p.setColor(QPalette::ToolTipBase, QColor(0x33, 0x36, 0x3c));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
        p.setColor(QPalette::Button, QColor(0x31, 0x34, 0x3a));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::white);
        p.setColor(QPalette::Highlight, accent);
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, accent.lighter(120));
        p.setColor(QPalette::Mid, QColor(0x3a, 0x3d, 0x44));
        p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1c));
        p.setColor(QPalette::Light, QColor(0x40, 0x43, 0x4a));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x74, 0x7c));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x74, 0x7c));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x74, 0x7c));
    } else {
        p = app.style()->standardPalette();
        p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
        p.setColor(QPalette::Highlight, QColor(0x1f, 0x6f, 0xeb));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x8f));
    }
    app.setPalette(p);
    app.setStyleSheet(styleSheet(dark));
}

QString Theme::styleSheet(bool dark) {
    const QString sidebarBg = dark ? QStringLiteral("#1b1d21") : QStringLiteral("#e9ebef");
    const QString sidebarText = dark ? QStringLiteral("#c9ccd2") : QStringLiteral("#30343b");
    const QString sidebarSel = dark ? QStringLiteral("#2f5fb3") : QStringLiteral("#d4e2fb");
    const QString sidebarSelText = dark ? QStringLiteral("#ffffff") : QStringLiteral("#0b3d91");
    const QString border = dark ? QStringLiteral("#33363c") : QStringLiteral("#d5d8de");
    return QStringLiteral(
               "QWidget#sidebarPanel { background: %1; border-right: 1px solid %5; }"
               "QListWidget#sidebar { background: %1; border: none; padding-top: 8px; outline: 0; }"
               "QToolButton#preferencesButton { color: %2; padding: 7px 10px; margin: 0 8px; border-radius: 6px; }"
               "QToolButton#preferencesButton:hover { background: rgba(127,127,127,0.15); }"
               "QListWidget#sidebar::item { color: %2; padding: 9px 12px; margin: 2px 8px; border-radius: 6px; }"
               "QListWidget#sidebar::item:selected { background: %3; color: %4; }"
               "QListWidget#sidebar::item:hover:!selected { background: rgba(127,127,127,0.15); }"
               "QLabel#pageTitle { font-size: 17pt; font-weight: 600; }"
               "QLabel#pageSubtitle { color: palette(placeholder-text); }"
               "QLabel#sectionTitle { font-weight: 600; }"
               "QToolBar { border: none; spacing: 4px; }"
               "QTableView, QTreeView, QListView { border: 1px solid %5; border-radius: 4px; }"
               "QHeaderView::section { padding: 4px 6px; border: none; border-bottom: 1px solid %5; "
               "  background: palette(window); font-weight: 600; }"
               "QTabWidget::pane { border: 1px solid %5; border-radius: 4px; top: -1px; }"
               "QStatusBar { border-top: 1px solid %5; }")
        .arg(sidebarBg, sidebarText, sidebarSel, sidebarSelText, border);
}

} // namespace berth::ui
