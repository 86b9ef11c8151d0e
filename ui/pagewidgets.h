#pragma once
// Widgets every list page builds the same way: the filter box, the title header and the
// look of the main table, so the pages stay alike.

#include <QString>

#include <initializer_list>

class QAction;
class QHBoxLayout;
class QKeySequence;
class QLabel;
class QLayout;
class QLineEdit;
class QTableView;
class QToolBar;
class QWidget;

namespace berth::ui {

// An action of `page` with an icon, active while the page has focus; the tooltip names the
// shortcut when there is one.
QAction* addPageAction(QWidget* page, const QString& icon, const QString& text, const QKeySequence& key,
                       const QString& tip);

// The page's toolbar: icons with text beside them; a nullptr in `actions` is a separator.
QToolBar* makePageToolbar(QWidget* page, std::initializer_list<QAction*> actions);

QLineEdit* makeFilterEdit(const QString& placeholder, QWidget* parent);
// Title and subtitle stacked on the left, `filter` on the right.
QHBoxLayout* makePageHeader(QLabel* title, QLabel* subtitle, QLineEdit* filter);
// Row selection (many rows), sorting, no grid, no vertical header, rows `rowHeight` high.
void styleListTable(QTableView* table, int rowHeight);
// The page's body: `list` above `details` in a vertical splitter (named, so its sizes are
// remembered) starting at `listHeight`/`detailsHeight`, under `header` and `toolbar`.
void layOutListPage(QWidget* page, QLayout* header, QWidget* toolbar, QWidget* list, QWidget* details,
                    const QString& splitterName, int listHeight, int detailsHeight);

} // namespace berth::ui
