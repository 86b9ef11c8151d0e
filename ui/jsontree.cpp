#include "jsontree.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardItemModel>

namespace berth::ui {

void JsonTree::add(QStandardItem* parent, const QString& key, const QJsonValue& value) {
    auto* k = new QStandardItem(key);
    auto* v = new QStandardItem;
    k->setEditable(false);
    v->setEditable(false);
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        v->setText(QStringLiteral("{%1}").arg(o.size()));
        for (auto it = o.begin(); it != o.end(); ++it) add(k, it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        v->setText(QStringLiteral("[%1]").arg(a.size()));
        for (int i = 0; i < a.size(); ++i) add(k, QString::number(i), a[i]);
    } else if (value.isString()) {
        v->setText(value.toString());
    } else if (value.isBool()) {
        v->setText(value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    } else if (value.isDouble()) {
        v->setText(QString::number(value.toDouble(), 'g', 15));
    } else {
        v->setText(QStringLiteral("null"));
    }
    v->setToolTip(v->text());
    parent->appendRow({k, v});
}

bool JsonTree::fill(QStandardItemModel* model, const QByteArray& json) {
    model->clear();
    model->setHorizontalHeaderLabels({QCoreApplication::translate("berth::ui::JsonTree", "Key"),
                                      QCoreApplication::translate("berth::ui::JsonTree", "Value")});
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    QStandardItem* root = model->invisibleRootItem();
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        for (auto it = o.begin(); it != o.end(); ++it) add(root, it.key(), it.value());
        return true;
    }
    if (doc.isArray()) {
        const QJsonArray a = doc.array();
        // docker inspect returns a one-element array: show the element itself.
        if (a.size() == 1 && a[0].isObject()) {
            const QJsonObject o = a[0].toObject();
            for (auto it = o.begin(); it != o.end(); ++it) add(root, it.key(), it.value());
        } else {
            for (int i = 0; i < a.size(); ++i) add(root, QString::number(i), a[i]);
        }
        return true;
    }
    root->appendRow(new QStandardItem(QString::fromUtf8(json)));
    return false;
}

} // namespace berth::ui
