#include "pulldialog.h"

#include "bardelegate.h"
#include "errordialog.h"
#include "pulllayersmodel.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace berth::ui {

namespace {

// What the user reads when a pull fails: the error's kind turned into a sentence.
QString sentenceFor(const Error& err, const QString& ref) {
    auto tr = [](const char* s) { return QCoreApplication::translate("berth::ui::PullDialog", s); };
    switch (err.code()) {
    case Errc::InvalidArgument: return tr("\"%1\" is not an image reference Berth can pull.").arg(ref);
    case Errc::NotFound: return tr("The registry has no image %1.").arg(ref);
    case Errc::Auth: return tr("The registry refused access to %1. Log in with \"berth login\" first.").arg(ref);
    case Errc::Network:
    case Errc::Timeout: return tr("The registry of %1 could not be reached.").arg(ref);
    case Errc::Corrupt: return tr("The registry sent damaged data for %1; nothing was stored.").arg(ref);
    case Errc::Unsupported: return tr("The image %1 is not available in a form Berth can use.").arg(ref);
    case Errc::PermissionDenied: return tr("Berth may not write the image %1 to the store.").arg(ref);
    default: return tr("The image %1 could not be pulled.").arg(ref);
    }
}

} // namespace

PullDialog::PullDialog(EngineClient* client, QWidget* parent)
    : QDialog(parent), m_client(client), m_layers(new PullLayersModel(this)) {
    setObjectName(QStringLiteral("pullDialog"));
    setMinimumWidth(620);
    m_referenceLabel = new QLabel(this);
    m_platformLabel = new QLabel(this);
    m_reference = new QLineEdit(this);
    m_reference->setObjectName(QStringLiteral("pullReference"));
    m_platform = new QLineEdit(this);
    m_platform->setObjectName(QStringLiteral("pullPlatform"));
    m_referenceLabel->setBuddy(m_reference);
    m_platformLabel->setBuddy(m_platform);
    auto* form = new QFormLayout;
    form->addRow(m_referenceLabel, m_reference);
    form->addRow(m_platformLabel, m_platform);

    m_resolved = new QLabel(this);
    m_resolved->setObjectName(QStringLiteral("pullResolved"));
    m_overall = new QProgressBar(this);
    m_overall->setObjectName(QStringLiteral("pullOverall"));
    m_overall->setRange(0, 1000);
    m_overall->setValue(0);
    m_overall->setTextVisible(false);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("pullLayers"));
    m_view->setModel(m_layers);
    m_view->setItemDelegateForColumn(PullLayersModel::Progress,
                                     new BarDelegate(PullLayersModel::FractionRole, QColor(0x2f, 0x81, 0xf7), m_view));
    m_view->verticalHeader()->hide();
    m_view->setShowGrid(false);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setFocusPolicy(Qt::NoFocus);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(PullLayersModel::Layer, 130);
    m_view->setColumnWidth(PullLayersModel::Status, 150);
    m_view->verticalHeader()->setDefaultSectionSize(26);
    m_view->setMinimumHeight(160);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("pullStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsButton = new QPushButton(this);
    m_detailsButton->setObjectName(QStringLiteral("pullDetailsButton"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->hide();
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("pullDetails"));
    m_details->setReadOnly(true);
    m_details->setMaximumHeight(110);
    m_details->hide();
    connect(m_detailsButton, &QPushButton::toggled, m_details, &QWidget::setVisible);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_detailsButton, 0, Qt::AlignTop);

    auto* buttons = new QDialogButtonBox(this);
    m_pullButton = buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_pullButton->setObjectName(QStringLiteral("pullStart"));
    m_pullButton->setIcon(QIcon(QStringLiteral(":/icons/pull.svg")));
    m_pullButton->setDefault(true);
    m_cancelButton = buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    m_cancelButton->setObjectName(QStringLiteral("pullCancel"));
    connect(m_pullButton, &QPushButton::clicked, this, &PullDialog::startPull);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (m_state == State::Pulling)
            cancelPull();
        else
            QDialog::reject();
    });
    connect(m_reference, &QLineEdit::textChanged, this,
            [this] { m_pullButton->setEnabled(m_state != State::Pulling && !m_reference->text().trimmed().isEmpty()); });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_resolved);
    layout->addWidget(m_overall);
    layout->addWidget(m_view, 1);
    layout->addLayout(statusRow);
    layout->addWidget(m_details);
    layout->addWidget(buttons);
    retranslate();
    setState(State::Idle);
}

PullDialog::~PullDialog() {
    if (m_state == State::Pulling) m_client->cancel(m_job);
}

void PullDialog::retranslate() {
    setWindowTitle(tr("Pull Image"));
    m_referenceLabel->setText(tr("&Image:"));
    m_platformLabel->setText(tr("P&latform:"));
    m_reference->setPlaceholderText(tr("for example busybox:latest or registry.example.com/team/app:1.2"));
    m_reference->setAccessibleName(tr("Image reference"));
    m_platform->setPlaceholderText(tr("optional, for example linux/arm64 (default: this computer's)"));
    m_platform->setAccessibleName(tr("Platform"));
    m_overall->setAccessibleName(tr("Overall progress"));
    m_view->setAccessibleName(tr("Layers"));
    m_detailsButton->setText(tr("Details…"));
    m_pullButton->setText(tr("&Pull"));
    m_cancelButton->setText(m_state == State::Pulling ? tr("&Cancel") : tr("&Close"));
}

void PullDialog::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) retranslate();
    QDialog::changeEvent(e);
}

void PullDialog::setState(State s) {
    m_state = s;
    const bool pulling = s == State::Pulling;
    m_reference->setEnabled(!pulling);
    m_platform->setEnabled(!pulling);
    m_pullButton->setEnabled(!pulling && !m_reference->text().trimmed().isEmpty());
    m_cancelButton->setText(pulling ? tr("&Cancel") : tr("&Close"));
    emit stateChanged(s);
}

void PullDialog::startPull() {
    if (m_state == State::Pulling) return;
    const QString ref = m_reference->text().trimmed();
    if (ref.isEmpty()) return;
    PullRequest request;
    request.reference = ref.toStdString();
    const QString platform = m_platform->text().trimmed();
    if (!platform.isEmpty()) {
        auto parsed = parsePlatform(platform.toStdString());
        if (!parsed) {
            showError(tr("\"%1\" is not a platform. Write it as os/architecture, for example linux/amd64.").arg(platform),
                      QString::fromStdString(parsed.error().message()));
            setState(State::Failed);
            return;
        }
        request.platform = *parsed;
    }
    m_layers->clear();
    m_snapshot = {};
    m_pulledName.clear();
    m_pullingRef = ref;
    m_overall->setValue(0);
    m_resolved->clear();
    m_status->setText(tr("Pulling %1…").arg(ref));
    m_detailsButton->hide();
    m_detailsButton->setChecked(false);
    m_details->clear();

    // Progress is for this job only: a delivery from an earlier (cancelled) pull is dropped.
    QPointer<PullDialog> self(this);
    auto jobSlot = std::make_shared<JobId>(0);
    auto progress = PullProgressRelay::make(m_client, [self, jobSlot](const PullSnapshot& snap) {
        if (self && self->m_state == State::Pulling && self->m_job == *jobSlot) self->showSnapshot(snap);
    });
    setState(State::Pulling);
    m_job = m_client->submit(
        tr("Pulling %1").arg(ref), QStringLiteral("pull:") + ref, this,
        [request, progress](Engine& e, std::stop_token stop, const ProgressFn&) {
            return e.images().pull(request, progress, stop);
        },
        [this](PullResult result) {
            m_pulledName = QString::fromStdString(result.name);
            m_overall->setValue(m_overall->maximum());
            m_status->setText(result.downloaded ? tr("Pulled %1.").arg(QString::fromStdString(result.familiar))
                                                : tr("%1 is up to date.").arg(QString::fromStdString(result.familiar)));
            setState(State::Done);
            emit pulled(m_pulledName);
        },
        [this, ref](const Error& err) {
            if (err.code() == Errc::Cancelled) {
                m_status->setText(tr("The pull was cancelled; nothing was stored."));
                setState(State::Cancelled);
                return;
            }
            showError(sentenceFor(err, ref), QString::fromStdString(err.message()));
            setState(State::Failed);
        });
    *jobSlot = m_job;
}

void PullDialog::cancelPull() {
    if (m_state != State::Pulling) return;
    // Asks the engine to stop (its stop token); the job's late result is dropped.
    m_client->cancel(m_job);
    m_status->setText(tr("The pull was cancelled; nothing was stored."));
    setState(State::Cancelled);
}

void PullDialog::reject() {
    if (m_state == State::Pulling) cancelPull();
    QDialog::reject();
}

void PullDialog::showSnapshot(const PullSnapshot& snap) {
    m_snapshot = snap;
    if (!snap.resolved.isEmpty()) m_resolved->setText(snap.resolved);
    m_layers->setLayers(snap.layers);
    m_overall->setValue(int(m_layers->overallFraction() * m_overall->maximum()));
}

void PullDialog::showError(const QString& sentence, const QString& detail) {
    const QString hint = ErrorDialog::hintFor(detail);
    m_status->setText(hint.isEmpty() ? sentence : sentence + QLatin1Char(' ') + hint);
    m_details->setPlainText(detail);
    m_detailsButton->setVisible(!detail.isEmpty());
}

} // namespace berth::ui
