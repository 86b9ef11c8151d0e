#pragma once
// JsonTree: fills a two-column tree model (key, value) from a JSON document, for Inspect.

#include <QJsonValue>

class QStandardItem;
class QStandardItemModel;

namespace berth::ui {

class JsonTree {
public:
    // Replaces the model's contents; returns false (and shows the text raw) when not JSON.
    static bool fill(QStandardItemModel* model, const QByteArray& json);

private:
    static void add(QStandardItem* parent, const QString& key, const QJsonValue& value);
};

} // namespace berth::ui
