#pragma once
// The main window (placeholder until the desktop issue lands: lists the store's images).

#include <QMainWindow>

namespace berth {
class Engine;
}

namespace berth::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Engine& engine, QWidget* parent = nullptr);

private:
    Engine& m_engine;
};

} // namespace berth::ui
