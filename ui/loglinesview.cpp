#include "loglinesview.h"

#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>

namespace berth::ui {

LogLinesView::LogLinesView(QWidget* parent) : QListView(parent) {
    setUniformItemSizes(true);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

int LogLinesView::rows() const { return model() ? model()->rowCount(rootIndex()) : 0; }

int LogLinesView::lineHeight() const {
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const int h = itemDelegate() ? itemDelegate()->sizeHint(option, QModelIndex()).height() : fontMetrics().height();
    return qMax(1, h);
}

int LogLinesView::verticalOffset() const { return verticalScrollBar()->value(); }

QRect LogLinesView::visualRect(const QModelIndex& index) const {
    if (!index.isValid() || index.parent() != rootIndex()) return {};
    const int h = lineHeight();
    return QRect(0, index.row() * h - verticalOffset(), viewport()->width(), h);
}

QModelIndex LogLinesView::indexAt(const QPoint& p) const {
    if (!model() || p.y() < 0) return {};
    const qint64 row = (qint64(p.y()) + verticalOffset()) / lineHeight();
    return row < rows() ? model()->index(int(row), modelColumn(), rootIndex()) : QModelIndex();
}

void LogLinesView::scrollTo(const QModelIndex& index, ScrollHint hint) {
    if (!index.isValid()) return;
    const int h = lineHeight();
    const int top = index.row() * h;
    const int height = viewport()->height();
    QScrollBar* sb = verticalScrollBar();
    int value = sb->value();
    switch (hint) {
    case PositionAtTop: value = top; break;
    case PositionAtBottom: value = top + h - height; break;
    case PositionAtCenter: value = top + h / 2 - height / 2; break;
    case EnsureVisible:
        if (top < value) value = top;
        else if (top + h > value + height) value = top + h - height;
        break;
    }
    sb->setValue(value);
}

void LogLinesView::doItemsLayout() {
    // Nothing to lay out: a row's place follows from its number.
    updateGeometries();
    viewport()->update();
}

void LogLinesView::reset() {
    QAbstractItemView::reset();
    updateGeometries();
}

void LogLinesView::rowsInserted(const QModelIndex& parent, int start, int end) {
    QAbstractItemView::rowsInserted(parent, start, end);
    updateGeometries();
    // Repaint only when the new rows can be seen (appending below the fold costs nothing).
    if (start * qint64(lineHeight()) < qint64(verticalOffset()) + viewport()->height()) viewport()->update();
}

void LogLinesView::rowsAboutToBeRemoved(const QModelIndex& parent, int start, int end) {
    QAbstractItemView::rowsAboutToBeRemoved(parent, start, end);
    viewport()->update();
}

void LogLinesView::dataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles) {
    QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
}

void LogLinesView::updateGeometries() {
    const int h = lineHeight();
    const qint64 content = qint64(rows()) * h;
    QScrollBar* sb = verticalScrollBar();
    sb->setSingleStep(h);
    sb->setPageStep(viewport()->height());
    sb->setRange(0, int(qBound<qint64>(0, content - viewport()->height(), qint64(INT_MAX))));
    QAbstractItemView::updateGeometries();
}

QSize LogLinesView::viewportSizeHint() const { return QSize(400, 10 * lineHeight()); }

void LogLinesView::resizeEvent(QResizeEvent* e) { QAbstractItemView::resizeEvent(e); }

void LogLinesView::scrollContentsBy(int dx, int dy) {
    Q_UNUSED(dx)
    viewport()->scroll(0, dy);
}

void LogLinesView::paintEvent(QPaintEvent* e) {
    if (!model()) return;
    QPainter painter(viewport());
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    const int h = lineHeight();
    const int count = rows();
    const int offset = verticalOffset();
    const QRect area = e->rect();
    const int first = qMax(0, (offset + area.top()) / h);
    const int last = qMin(count - 1, (offset + area.bottom()) / h);
    const QModelIndex current = currentIndex();
    QItemSelectionModel* selection = selectionModel();
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = model()->index(row, modelColumn(), rootIndex());
        option.rect = QRect(0, row * h - offset, viewport()->width(), h);
        option.state = QStyle::State_Enabled;
        if (selection && selection->isSelected(index)) option.state |= QStyle::State_Selected;
        if (index == current && hasFocus()) option.state |= QStyle::State_HasFocus;
        itemDelegate()->paint(&painter, option, index);
    }
}

QModelIndex LogLinesView::moveCursor(CursorAction action, Qt::KeyboardModifiers) {
    const int count = rows();
    if (count == 0) return {};
    const int page = qMax(1, viewport()->height() / lineHeight());
    int row = currentIndex().isValid() ? currentIndex().row() : 0;
    switch (action) {
    case MoveUp: case MovePrevious: row -= 1; break;
    case MoveDown: case MoveNext: row += 1; break;
    case MovePageUp: row -= page; break;
    case MovePageDown: row += page; break;
    case MoveHome: row = 0; break;
    case MoveEnd: row = count - 1; break;
    default: break;
    }
    return model()->index(qBound(0, row, count - 1), modelColumn(), rootIndex());
}

void LogLinesView::setSelection(const QRect& rect, QItemSelectionModel::SelectionFlags flags) {
    if (!model() || !selectionModel()) return;
    const QRect r = rect.normalized();
    const int h = lineHeight();
    const int count = rows();
    if (count == 0) return;
    const int first = qBound(0, (r.top() + verticalOffset()) / h, count - 1);
    const int last = qBound(0, (r.bottom() + verticalOffset()) / h, count - 1);
    const QItemSelection selection(model()->index(first, modelColumn(), rootIndex()),
                                   model()->index(last, modelColumn(), rootIndex()));
    selectionModel()->select(selection, flags);
}

QRegion LogLinesView::visualRegionForSelection(const QItemSelection& selection) const {
    QRegion region;
    const int h = lineHeight();
    const QRect shown = viewport()->rect();
    for (const QItemSelectionRange& range : selection) {
        const QRect r(0, range.top() * h - verticalOffset(), viewport()->width(), (range.bottom() - range.top() + 1) * h);
        region += r.intersected(shown);
    }
    return region;
}

} // namespace berth::ui
