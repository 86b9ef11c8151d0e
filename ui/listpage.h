#pragma once
// ListPage: the skeleton the Containers, Images, Volumes and Networks pages share, so they
// stay alike and are written once: title and subtitle over a filter box, a toolbar of the
// page's actions (active while the page has focus), the list in a table behind a
// case-insensitive filter over every column, an optional note over the table while the list
// is empty, the selected row's details below in a remembered splitter, and a context menu.
//
// A page builds itself in this order: the ListPage constructor (names and texts, translated
// by the page's own tr() so they keep its translation context), setListModel(), its actions
// and setToolbarActions(), optionally setEmptyText(), its details widget, then finishPage(),
// which lays the page out and from then on calls the page's updateActions() and
// showDetails() when the selection changes and fillContextMenu() on a right click.

#include "berth/engine.h"

#include <QWidget>

#include <functional>
#include <initializer_list>

class QAbstractItemModel;
class QAction;
class QDialog;
class QFormLayout;
class QKeySequence;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QToolBar;

namespace berth::ui {

class EngineClient;

class ListPage : public QWidget {
    Q_OBJECT
public:
    QTableView* table() const { return m_table; }

signals:
    void errorOccurred(const QString& sentence, const QString& detail);
    void statusMessage(const QString& text);

protected:
    struct Names {
        QString page;       // object name of the page, e.g. "containersPage"
        QString title;      // translated
        QString filter;     // translated placeholder (and accessible name) of the filter box
        QString table;      // object name of the table
        QString tableName;  // translated accessible name of the table
    };
    ListPage(EngineClient* client, const Names& names, QWidget* parent);

    // The table shows `model` through the filter proxy, sorted by `sortRole`; rows are
    // `rowHeight` high, many can be selected.
    void setListModel(QAbstractItemModel* model, int sortRole, int rowHeight);
    // An action with an icon, active while the page has focus; the tooltip names the
    // shortcut when there is one.
    QAction* addPageAction(const QString& icon, const QString& text, const QKeySequence& key, const QString& tip);
    // Icons with text beside them; a nullptr is a separator.
    void setToolbarActions(std::initializer_list<QAction*> actions);
    // A centred note over the table, shown while the model has no rows.
    void setEmptyText(const QString& text);
    // `details` below the list in a splitter named `splitterName` (its sizes are remembered),
    // starting at `listHeight`/`detailsHeight`; connects filter, selection and context menu.
    void finishPage(QWidget* details, const QString& splitterName, int listHeight, int detailsHeight);

    virtual void updateActions() = 0;
    virtual void showDetails() = 0;
    virtual void fillContextMenu(QMenu& menu) = 0;

    // `role` of every selected row, in selection order.
    QStringList selectedValues(int role) const;
    // Selects (alone) and shows the model's row `sourceRow`; nothing when it is negative.
    void selectSourceRow(int sourceRow);
    // After a listing: the first row when nothing is selected.
    void selectFirstRowIfNone();
    void setSubtitle(const QString& text);
    // Asks a yes/cancel question; Cancel is the default.
    bool confirm(const QString& title, const QString& text);

    // A read-only monospace text pane for details shown as text.
    QPlainTextEdit* makeTextPane(const QString& objectName, const QString& accessibleName);
    // `head` in `pane` at once, then the engine's inspect JSON under it, unless the selection
    // is no longer just `name` (`nameRole`) when it arrives. An inspect failure leaves `head`
    // (the item was removed meanwhile: the next listing says so).
    void showInspectText(QPlainTextEdit* pane, const QString& head, const QString& name, int nameRole,
                         const QString& jobKey, std::function<Result<QString>(Engine&, const QString&)> inspect);
    // OK (labelled `okText`) and Cancel under `form` in `dialog`; returns the OK button.
    static QPushButton* layOutFormDialog(QDialog& dialog, QFormLayout* form, const QString& okText);

    EngineClient* m_client;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;

private:
    QLabel* m_title;
    QLabel* m_subtitle;
    QToolBar* m_toolbar;
    QLineEdit* m_filter;
    QLabel* m_empty = nullptr;
    QWidget* m_list;  // the table, or the table under the empty note
};

} // namespace berth::ui
