// berth-desktop: the window. Wiring only: open the engine, show the main window.
#include "berth/engine.h"
#include "mainwindow.h"

#include <QApplication>
#include <QMessageBox>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("Berth");
    QApplication::setOrganizationName("Berth");
    auto engine = berth::Engine::open();
    if (!engine) {
        QMessageBox::critical(nullptr, QObject::tr("Berth"),
                              QObject::tr("Could not open the container store.\n\n%1")
                                  .arg(QString::fromStdString(engine.error().message())));
        return 1;
    }
    berth::ui::MainWindow w(**engine);
    w.show();
    return app.exec();
}
