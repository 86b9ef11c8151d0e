#pragma once
// TimeSeriesChart: the small adapter between table models and the charting library. Each
// series reads one column of a model against its time column and follows the model's row
// inserts and removals; nothing else in ui/ touches Qt Charts, so it can be replaced.

#include <QColor>
#include <QWidget>

#include <functional>
#include <memory>

class QAbstractItemModel;

namespace berth::ui {

class TimeSeriesChart : public QWidget {
    Q_OBJECT
public:
    explicit TimeSeriesChart(const QString& title, const QString& unit, QWidget* parent = nullptr);
    ~TimeSeriesChart() override;

    // Plots model[column] over model[timeColumn] (ms since epoch). `dashed` for limit lines:
    // one is drawn only while it has a value (no limit, no line at 0). The legend names each
    // series with its latest value ("Used: 12.3 MiB").
    void addSeries(QAbstractItemModel* model, int timeColumn, int column, const QString& name,
                   const QColor& color, bool dashed = false);
    // How a value reads in the legend and on the Y axis; by default the number and the unit.
    void setValueText(std::function<QString(double)> text) { m_valueText = std::move(text); }
    void removeSeriesOf(QAbstractItemModel* model);
    void clearSeries();
    void setFixedMaximum(double max);  // e.g. 100 for a percentage; 0 = automatic
    void setWindowSeconds(int seconds) { m_windowSeconds = seconds; }
    // Points currently plotted, over all series (tests check that samples arrive).
    int pointCount() const;
    // The legend's texts of the series drawn now, and the Y axis's labels (tests read them).
    QStringList legendTexts() const;
    QStringList axisLabels() const;

protected:
    void showEvent(QShowEvent* e) override;

private:
    struct Impl;
    void refresh();
    QString valueText(double v) const;
    std::unique_ptr<Impl> d;
    int m_windowSeconds = 180;
    QString m_unit;
    std::function<QString(double)> m_valueText;
};

} // namespace berth::ui
