#pragma once
// One line of the store's events journal, in Qt types for the GUI.

#include <QMap>
#include <QMetaType>
#include <QString>

namespace berth::ui {

struct StoreEvent {
    qint64 timeNano = 0;
    QString type;    // "container", "image", ...
    QString action;  // "create", "start", "die", "oom", "destroy", "load", "tag"...
    QString id;
    QString name;
    QMap<QString, QString> attributes;
};

} // namespace berth::ui

Q_DECLARE_METATYPE(berth::ui::StoreEvent)
