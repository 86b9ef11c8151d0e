#pragma once
// BarDelegate: paints a cell's text over a horizontal bar whose length is the fraction the
// model gives in `fractionRole` (layer sizes, memory use). No fraction: text only.

#include <QColor>
#include <QStyledItemDelegate>

namespace berth::ui {

class BarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    BarDelegate(int fractionRole, QColor color, QObject* parent = nullptr);
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    int m_role;
    QColor m_color;
};

} // namespace berth::ui
