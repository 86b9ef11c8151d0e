#include "errordialog.h"

#include <QCoreApplication>
#include <QMessageBox>

namespace berth::ui {

QString ErrorDialog::hintFor(const QString& detail) {
    auto tr = [](const char* s) { return QCoreApplication::translate("berth::ui::ErrorDialog", s); };
    const QString d = detail.toLower();
    if (d.contains(QLatin1String("permission denied")) || d.contains(QLatin1String("operation not permitted")))
        return tr("Berth lacks the permission it needs. Running containers needs root or a rootless set-up.");
    if (d.contains(QLatin1String("no such image"))) return tr("The image is not in the store. Load or pull it first.");
    if (d.contains(QLatin1String("no such container"))) return tr("The container no longer exists.");
    if (d.contains(QLatin1String("in use"))) return tr("A container still uses it. Remove that container first.");
    if (d.contains(QLatin1String("already"))) return tr("The name is already taken. Choose another one.");
    if (d.contains(QLatin1String("not available"))) return tr("This engine build cannot do that yet.");
    if (d.contains(QLatin1String("no space"))) return tr("The disk is full.");
    return {};
}

void ErrorDialog::fill(QMessageBox& box, const QString& sentence, const QString& detail) {
    box.setIcon(QMessageBox::Warning);
    box.setWindowTitle(QCoreApplication::translate("berth::ui::ErrorDialog", "Berth"));
    box.setText(sentence);
    // The reason is what the user acts on: in the message itself, selectable, hint after it.
    QStringList lines;
    if (!detail.isEmpty()) lines.append(detail);
    if (const QString hint = hintFor(detail); !hint.isEmpty()) lines.append(hint);
    box.setInformativeText(lines.join(QStringLiteral("\n\n")));
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.setStandardButtons(QMessageBox::Ok);
    box.setObjectName(QStringLiteral("errorDialog"));
}

void ErrorDialog::show(QWidget* parent, const QString& sentence, const QString& detail) {
    QMessageBox box(parent);
    fill(box, sentence, detail);
    box.exec();
}

} // namespace berth::ui
