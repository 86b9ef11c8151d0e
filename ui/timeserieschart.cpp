#include "timeserieschart.h"

#include <QAbstractItemModel>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPointer>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <vector>

namespace berth::ui {

struct TimeSeriesChart::Impl {
    bool dirty = false;  // samples arrived while hidden: redraw when shown
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QDateTimeAxis* x = nullptr;
    QValueAxis* y = nullptr;
    double fixedMax = 0;
    struct Binding {
        QPointer<QAbstractItemModel> model;
        int timeColumn, column;
        QLineSeries* series;
        QString name;
        bool optional;  // a limit line: drawn only while it has a value
        std::vector<QMetaObject::Connection> connections;
    };
    std::vector<Binding> bindings;
    QTimer repaint;  // coalesces updates from several series into one repaint
};

TimeSeriesChart::TimeSeriesChart(const QString& title, const QString& unit, QWidget* parent)
    : QWidget(parent), d(std::make_unique<Impl>()), m_unit(unit) {
    d->chart = new QChart;
    // The unit goes in the title, not beside the Y axis: an axis title takes the width its
    // labels need, and Qt Charts elides labels that do not fit to "…".
    d->chart->setTitle(unit.isEmpty() ? title : tr("%1 (%2)").arg(title, unit));
    QFont tf = d->chart->titleFont();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.05);
    d->chart->setTitleFont(tf);
    d->chart->legend()->setAlignment(Qt::AlignBottom);
    d->chart->setMargins(QMargins(4, 4, 4, 4));
    d->chart->setBackgroundRoundness(6);
    d->chart->setAnimationOptions(QChart::NoAnimation);
    const QPalette pal = palette();
    d->chart->setBackgroundBrush(pal.color(QPalette::Base));
    d->chart->setTitleBrush(pal.color(QPalette::Text));
    d->chart->legend()->setLabelColor(pal.color(QPalette::Text));
    d->x = new QDateTimeAxis;
    d->x->setFormat(QStringLiteral("HH:mm:ss"));
    d->x->setTickCount(4);
    d->y = new QValueAxis;
    d->y->setLabelFormat(QStringLiteral("%.0f"));
    d->y->setMin(0);
    for (QAbstractAxis* a : {static_cast<QAbstractAxis*>(d->x), static_cast<QAbstractAxis*>(d->y)}) {
        a->setLabelsColor(pal.color(QPalette::Text));
        a->setTitleBrush(pal.color(QPalette::Text));
        a->setGridLineColor(pal.color(QPalette::Mid));
        a->setLinePenColor(pal.color(QPalette::Mid));
    }
    d->chart->addAxis(d->x, Qt::AlignBottom);
    d->chart->addAxis(d->y, Qt::AlignLeft);
    d->view = new QChartView(d->chart, this);
    d->view->setRenderHint(QPainter::Antialiasing);
    // Below about 200 px Qt Charts has no room for the Y axis's labels and draws "…".
    d->view->setMinimumHeight(200);
    auto* l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(d->view);
    d->repaint.setSingleShot(true);
    d->repaint.setInterval(50);
    connect(&d->repaint, &QTimer::timeout, this, &TimeSeriesChart::refresh);
    refresh();
}

TimeSeriesChart::~TimeSeriesChart() { clearSeries(); }

void TimeSeriesChart::setFixedMaximum(double max) {
    d->fixedMax = max;
    refresh();
}

void TimeSeriesChart::addSeries(QAbstractItemModel* model, int timeColumn, int column, const QString& name,
                                const QColor& color, bool dashed) {
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(color, dashed ? 1.5 : 2.0);
    if (dashed) pen.setStyle(Qt::DashLine);
    s->setPen(pen);
    s->setUseOpenGL(false);
    d->chart->addSeries(s);
    s->attachAxis(d->x);
    s->attachAxis(d->y);
    Impl::Binding b{model, timeColumn, column, s, name, dashed, {}};
    auto schedule = [this] {
        if (!d->repaint.isActive()) d->repaint.start();
    };
    b.connections.push_back(connect(model, &QAbstractItemModel::rowsInserted, this, schedule));
    b.connections.push_back(connect(model, &QAbstractItemModel::rowsRemoved, this, schedule));
    b.connections.push_back(connect(model, &QAbstractItemModel::modelReset, this, schedule));
    b.connections.push_back(connect(model, &QObject::destroyed, this, [this, model] { removeSeriesOf(model); }));
    d->bindings.push_back(std::move(b));
    schedule();
}

void TimeSeriesChart::removeSeriesOf(QAbstractItemModel* model) {
    for (auto it = d->bindings.begin(); it != d->bindings.end();) {
        if (it->model == model || it->model.isNull()) {
            for (auto& c : it->connections) disconnect(c);
            d->chart->removeSeries(it->series);
            delete it->series;
            it = d->bindings.erase(it);
        } else {
            ++it;
        }
    }
    refresh();
}

void TimeSeriesChart::clearSeries() {
    for (auto& b : d->bindings) {
        for (auto& c : b.connections) disconnect(c);
        d->chart->removeSeries(b.series);
        delete b.series;
    }
    d->bindings.clear();
}

QString TimeSeriesChart::valueText(double v) const {
    if (m_valueText) return m_valueText(v);
    const QString number = QLocale().toString(v, 'f', v < 10 ? 1 : 0);
    return m_unit.isEmpty() ? number : tr("%1 %2").arg(number, m_unit);
}

QStringList TimeSeriesChart::legendTexts() const {
    QStringList texts;
    for (const auto& b : d->bindings)
        if (b.series->isVisible()) texts.append(b.series->name());
    return texts;
}

QStringList TimeSeriesChart::axisLabels() const {
    // The Y axis's labels as drawn: the text items left of the plot area.
    QStringList labels;
    const QRectF plot = d->chart->plotArea();
    for (QGraphicsItem* item : d->view->scene()->items()) {
        auto* text = dynamic_cast<QGraphicsTextItem*>(item);
        if (!text || !text->isVisible()) continue;
        const QRectF r = text->sceneBoundingRect();
        if (r.right() <= plot.left() + 1 && r.center().y() >= plot.top() - r.height() && r.center().y() <= plot.bottom() + r.height())
            labels.append(text->toPlainText());
    }
    return labels;
}

int TimeSeriesChart::pointCount() const {
    int n = 0;
    for (const auto& b : d->bindings) n += b.series->count();
    return n;
}

void TimeSeriesChart::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (d->dirty) refresh();
}

void TimeSeriesChart::refresh() {
    // A hidden chart (another page, another tab) costs nothing per sample: Qt Charts redoes
    // its geometry on every replace, which is most of the window's idle CPU otherwise.
    if (!isVisible()) {
        d->dirty = true;
        return;
    }
    d->dirty = false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    double maxY = 0.1;
    for (auto& b : d->bindings) {
        QList<QPointF> pts;
        double peak = 0;
        if (b.model) {
            const int rows = b.model->rowCount();
            pts.reserve(rows);
            for (int r = 0; r < rows; ++r) {
                const double t = b.model->index(r, b.timeColumn).data().toDouble();
                const double v = b.model->index(r, b.column).data().toDouble();
                if (t < double(now) - m_windowSeconds * 1000.0) continue;
                pts.append(QPointF(t, v));
                peak = qMax(peak, v);
            }
        }
        const bool drawn = !b.optional || peak > 0;
        b.series->replace(pts);  // one replace per series: one repaint, not one per point
        b.series->setVisible(drawn);
        for (QLegendMarker* m : d->chart->legend()->markers(b.series)) m->setVisible(drawn);
        b.series->setName(pts.isEmpty() ? b.name : tr("%1: %2").arg(b.name, valueText(pts.last().y())));
        if (drawn) maxY = qMax(maxY, peak);
    }
    d->x->setRange(QDateTime::fromMSecsSinceEpoch(now - m_windowSeconds * 1000), QDateTime::fromMSecsSinceEpoch(now));
    const double top = d->fixedMax > 0 ? qMax(d->fixedMax, maxY) : maxY * 1.15;
    d->y->setRange(0, top);
    d->y->applyNiceNumbers();  // 0, 20, 40, 60 rather than 0, 13, 25, 38
    // As many decimals as the tick step needs: 0, 0.05, 0.10 rather than 0.1, 0.1.
    const double step = d->y->max() / qMax(1, d->y->tickCount() - 1);
    int decimals = 0;
    while (decimals < 3 && std::abs(step * std::pow(10, decimals) - std::round(step * std::pow(10, decimals))) > 1e-6) ++decimals;
    d->y->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
}

} // namespace berth::ui
