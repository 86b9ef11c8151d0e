#pragma once
// LogLinesView: the list of log lines, a QListView whose layout work does not grow with the
// log. QListView lays out every row again (O(rows)) after each insert, even with uniform
// item sizes; at 100,000 lines that is tens of milliseconds per batch, and more on a busy
// machine. Every line here has the same height, so a row's place is row × height: inserts
// only move the scroll bar's range, painting and hit-testing touch the visible rows only.
// It stays a QListView for its API and accessibility; selection, current index, keyboard
// and wheel handling are QAbstractItemView's own.

#include <QListView>

namespace berth::ui {

class LogLinesView : public QListView {
    Q_OBJECT
public:
    explicit LogLinesView(QWidget* parent = nullptr);

    int lineHeight() const;

    QRect visualRect(const QModelIndex& index) const override;
    void scrollTo(const QModelIndex& index, ScrollHint hint = EnsureVisible) override;
    QModelIndex indexAt(const QPoint& p) const override;
    void doItemsLayout() override;
    void reset() override;

protected:
    void rowsInserted(const QModelIndex& parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex& parent, int start, int end) override;
    void dataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles = {}) override;
    void updateGeometries() override;
    void paintEvent(QPaintEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void scrollContentsBy(int dx, int dy) override;
    int horizontalOffset() const override { return 0; }
    int verticalOffset() const override;
    QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override;
    void setSelection(const QRect& rect, QItemSelectionModel::SelectionFlags flags) override;
    QRegion visualRegionForSelection(const QItemSelection& selection) const override;
    bool isIndexHidden(const QModelIndex&) const override { return false; }
    QSize viewportSizeHint() const override;

private:
    int rows() const;
};

} // namespace berth::ui
