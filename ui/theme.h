#pragma once
// Theme: Fusion with a light or dark palette following the desktop's preference (the
// colour-scheme setting of GNOME/GTK, KDE's colour scheme, or QT_BERTH_DARK=1), plus the
// few style rules that give the sidebar and badges their look.

class QApplication;
class QString;

namespace berth::ui {

class Theme {
public:
    static bool systemPrefersDark();
    static void apply(QApplication& app, bool dark);
    static QString styleSheet(bool dark);
};

} // namespace berth::ui
