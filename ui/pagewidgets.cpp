#include "pagewidgets.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace berth::ui {

QAction* addPageAction(QWidget* page, const QString& icon, const QString& text, const QKeySequence& key,
                       const QString& tip) {
    auto* a = new QAction(QIcon(icon), text, page);
    if (key.isEmpty()) {
        a->setToolTip(tip);
    } else {
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    }
    page->addAction(a);
    return a;
}

QToolBar* makePageToolbar(QWidget* page, std::initializer_list<QAction*> actions) {
    auto* toolbar = new QToolBar(page);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(18, 18));
    for (auto* a : actions) {
        if (a) toolbar->addAction(a);
        else toolbar->addSeparator();
    }
    return toolbar;
}

QLineEdit* makeFilterEdit(const QString& placeholder, QWidget* parent) {
    auto* filter = new QLineEdit(parent);
    filter->setPlaceholderText(placeholder);
    filter->setAccessibleName(placeholder);
    filter->setClearButtonEnabled(true);
    filter->setMaximumWidth(260);
    filter->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);
    return filter;
}

QHBoxLayout* makePageHeader(QLabel* title, QLabel* subtitle, QLineEdit* filter) {
    auto* header = new QHBoxLayout;
    auto* titles = new QVBoxLayout;
    titles->setSpacing(0);
    titles->addWidget(title);
    titles->addWidget(subtitle);
    header->addLayout(titles);
    header->addStretch(1);
    header->addWidget(filter);
    return header;
}

void styleListTable(QTableView* table, int rowHeight) {
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table->setSortingEnabled(true);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(rowHeight);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setHighlightSections(false);
}

void layOutListPage(QWidget* page, QLayout* header, QWidget* toolbar, QWidget* list, QWidget* details,
                    const QString& splitterName, int listHeight, int detailsHeight) {
    auto* splitter = new QSplitter(Qt::Vertical, page);
    splitter->setObjectName(splitterName);
    splitter->addWidget(list);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({listHeight, detailsHeight});

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(18, 14, 18, 10);
    layout->setSpacing(8);
    layout->addLayout(header);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
}

} // namespace berth::ui
