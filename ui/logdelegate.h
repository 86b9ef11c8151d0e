#pragma once
// LogDelegate: paints one log line: an optional timestamp, a coloured edge for stderr, the
// text in its ANSI colours, and the current search's matches highlighted.

#include <QRegularExpression>
#include <QStyledItemDelegate>

namespace berth::ui {

class LogDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit LogDelegate(QObject* parent = nullptr);

    void setShowTimestamps(bool on) { m_timestamps = on; }
    bool showTimestamps() const { return m_timestamps; }
    void setHighlight(const QRegularExpression& re) { m_highlight = re; }
    void setFont(const QFont& font) { m_font = font; }

    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    bool m_timestamps = false;
    QRegularExpression m_highlight;
    QFont m_font;
};

} // namespace berth::ui
