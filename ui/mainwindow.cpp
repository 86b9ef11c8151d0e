#include "mainwindow.h"

#include "berth/engine.h"

#include <QHeaderView>
#include <QTableWidget>

namespace berth::ui {

MainWindow::MainWindow(Engine& engine, QWidget* parent) : QMainWindow(parent), m_engine(engine) {
    setWindowTitle(tr("Berth"));
    auto* table = new QTableWidget(this);
    table->setColumnCount(3);
    table->setHorizontalHeaderLabels({tr("Image"), tr("ID"), tr("Size")});
    if (auto list = m_engine.images().list()) {
        table->setRowCount(int(list->size()));
        for (int i = 0; i < int(list->size()); ++i) {
            const auto& img = (*list)[size_t(i)];
            QString name = img.repoTags.empty() ? QStringLiteral("<none>")
                                                : QString::fromStdString(img.repoTags.front());
            table->setItem(i, 0, new QTableWidgetItem(name));
            table->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(img.id.shortId())));
            table->setItem(i, 2, new QTableWidgetItem(QString::number(img.size)));
        }
    }
    setCentralWidget(table);
    resize(900, 600);
}

} // namespace berth::ui
