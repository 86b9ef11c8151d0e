#pragma once
// TimeSeriesChart: the small adapter between table models and the charting library. Each
// series reads one column of a model against its time column and follows the model's row
// inserts and removals; nothing else in ui/ touches Qt Charts, so it can be replaced.

#include <QColor>
#include <QWidget>

class QAbstractItemModel;

namespace berth::ui {

class TimeSeriesChart : public QWidget {
    Q_OBJECT
public:
    explicit TimeSeriesChart(const QString& title, const QString& unit, QWidget* parent = nullptr);
    ~TimeSeriesChart() override;

    // Plots model[column] over model[timeColumn] (ms since epoch). `dashed` for limit lines.
    void addSeries(QAbstractItemModel* model, int timeColumn, int column, const QString& name,
                   const QColor& color, bool dashed = false);
    void removeSeriesOf(QAbstractItemModel* model);
    void clearSeries();
    void setFixedMaximum(double max);  // e.g. 100 for a percentage; 0 = automatic
    void setWindowSeconds(int seconds) { m_windowSeconds = seconds; }
    // Points currently plotted, over all series (tests check that samples arrive).
    int pointCount() const;

protected:
    void showEvent(QShowEvent* e) override;

private:
    struct Impl;
    void refresh();
    std::unique_ptr<Impl> d;
    int m_windowSeconds = 180;
};

} // namespace berth::ui
