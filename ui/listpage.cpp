#include "listpage.h"

#include "engineclient.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedLayout>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace berth::ui {

ListPage::ListPage(EngineClient* client, const Names& names, QWidget* parent)
    : QWidget(parent), m_client(client), m_proxy(new QSortFilterProxyModel(this)) {
    setObjectName(names.page);
    m_title = new QLabel(names.title, this);
    m_title->setObjectName(QStringLiteral("pageTitle"));
    m_subtitle = new QLabel(this);
    m_subtitle->setObjectName(QStringLiteral("pageSubtitle"));

    m_toolbar = new QToolBar(this);
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolbar->setIconSize(QSize(18, 18));

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(names.filter);
    m_filter->setAccessibleName(names.filter);
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    m_filter->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);

    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_table = new QTableView(this);
    m_table->setObjectName(names.table);
    m_table->setAccessibleName(names.tableName);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list = m_table;
}

void ListPage::setListModel(QAbstractItemModel* model, int sortRole, int rowHeight) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(sortRole);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
}

QAction* ListPage::addPageAction(const QString& icon, const QString& text, const QKeySequence& key, const QString& tip) {
    auto* a = new QAction(QIcon(icon), text, this);
    if (key.isEmpty()) {
        a->setToolTip(tip);
    } else {
        a->setShortcut(key);
        // While the page is shown, whatever has focus (the sidebar after a click, the
        // details): a hidden page's actions are not visible, so they do not fire.
        a->setShortcutContext(Qt::WindowShortcut);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    }
    addAction(a);
    return a;
}

void ListPage::setToolbarActions(std::initializer_list<QAction*> actions) {
    for (auto* a : actions) {
        if (a) m_toolbar->addAction(a);
        else m_toolbar->addSeparator();
    }
}

void ListPage::setEmptyText(const QString& text) {
    m_empty = new QLabel(text, this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setObjectName(QStringLiteral("pageSubtitle"));
    m_list = new QWidget(this);
    auto* stack = new QStackedLayout(m_list);
    stack->setStackingMode(QStackedLayout::StackAll);
    stack->addWidget(m_empty);
    stack->addWidget(m_table);
    QAbstractItemModel* model = m_proxy->sourceModel();
    auto follow = [this, model] { m_empty->setVisible(model->rowCount() == 0); };
    connect(model, &QAbstractItemModel::rowsInserted, this, follow);
    connect(model, &QAbstractItemModel::rowsRemoved, this, follow);
    connect(model, &QAbstractItemModel::modelReset, this, follow);
}

void ListPage::finishPage(QWidget* details, const QString& splitterName, int listHeight, int detailsHeight) {
    auto* header = new QHBoxLayout;
    auto* titles = new QVBoxLayout;
    titles->setSpacing(0);
    titles->addWidget(m_title);
    titles->addWidget(m_subtitle);
    header->addLayout(titles);
    header->addStretch(1);
    header->addWidget(m_filter);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(splitterName);
    splitter->addWidget(m_list);
    splitter->addWidget(details);
    // The list gets most of the height; the details shrink (their panes scroll).
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({listHeight, detailsHeight});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 14, 18, 10);
    layout->setSpacing(8);
    layout->addLayout(header);
    layout->addWidget(m_toolbar);
    layout->addWidget(splitter, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        showDetails();
    });
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        fillContextMenu(menu);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    updateActions();
}

QStringList ListPage::selectedValues(int role) const {
    QStringList values;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) values.append(i.data(role).toString());
    return values;
}

void ListPage::selectSourceRow(int sourceRow) {
    if (sourceRow < 0) return;
    const QModelIndex idx = m_proxy->mapFromSource(m_proxy->sourceModel()->index(sourceRow, 0));
    m_table->selectionModel()->select(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    // Not QTableView::setCurrentIndex: with Ctrl held (a shortcut just used) it toggles the
    // row out of the selection again.
    m_table->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::NoUpdate);
    m_table->scrollTo(idx);
}

void ListPage::selectFirstRowIfNone() {
    if (!m_table->selectionModel()->hasSelection() && m_proxy->rowCount() > 0) m_table->selectRow(0);
}

void ListPage::setSubtitle(const QString& text) { m_subtitle->setText(text); }

bool ListPage::confirm(const QString& title, const QString& text) {
    return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) ==
           QMessageBox::Yes;
}

QPlainTextEdit* ListPage::makeTextPane(const QString& objectName, const QString& accessibleName) {
    auto* pane = new QPlainTextEdit(this);
    pane->setObjectName(objectName);
    pane->setAccessibleName(accessibleName);
    pane->setReadOnly(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    pane->setFont(mono);
    return pane;
}

void ListPage::showInspectText(QPlainTextEdit* pane, const QString& head, const QString& name, int nameRole,
                               const QString& jobKey, std::function<Result<QString>(Engine&, const QString&)> inspect) {
    pane->setPlainText(head);
    m_client->submit(
        QString(), jobKey, this,
        [name, inspect = std::move(inspect)](Engine& e, std::stop_token, const ProgressFn&) { return inspect(e, name); },
        [this, pane, head, name, nameRole](QString json) {
            if (selectedValues(nameRole) == QStringList{name}) pane->setPlainText(head + QStringLiteral("\n\n") + json);
        },
        [](const Error&) {});
}

QPushButton* ListPage::layOutFormDialog(QDialog& dialog, QFormLayout* form, const QString& okText) {
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(okText);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* v = new QVBoxLayout(&dialog);
    v->addLayout(form);
    v->addWidget(buttons);
    return ok;
}

} // namespace berth::ui
