#include "builddialog.h"

#include "errordialog.h"


#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <mutex>

namespace berth::ui {

namespace {

// Carries builder events from the worker to the GUI thread in batches: the worker appends
// under a mutex and posts one queued delivery while none is pending, so a RUN that prints
// thousands of lines costs a few repaints, not thousands.
struct EventQueue {
    std::mutex mutex;
    std::vector<BuildEvent> pending;
    bool posted = false;
};

// `context` (EngineClient) outlives every worker; the delivery checks that the dialog lives.
BuildEventFn makeRelay(QObject* context, QPointer<BuildDialog> dialog,
                               std::function<void(const std::vector<BuildEvent>&)> deliver) {
    auto queue = std::make_shared<EventQueue>();
    return [queue, context, dialog, deliver](const BuildEvent& e) {
        std::lock_guard lock(queue->mutex);
        queue->pending.push_back(e);
        if (queue->posted) return;
        queue->posted = true;
        QMetaObject::invokeMethod(
            context,
            [queue, dialog, deliver] {
                std::vector<BuildEvent> batch;
                {
                    std::lock_guard lock(queue->mutex);
                    batch.swap(queue->pending);
                    queue->posted = false;
                }
                if (dialog) deliver(batch);
            },
            Qt::QueuedConnection);
    };
}

QString seconds(double s) { return QStringLiteral("%1 s").arg(s, 0, 'f', 1); }

// What the user reads when a build fails: the kind of error as a sentence.
QString sentenceFor(const Error& err) {
    // Spelled out (not a tr lambda) so lupdate files them under the dialog's context.
    switch (err.code()) {
    case Errc::NotFound: return QCoreApplication::translate("berth::ui::BuildDialog", "Something the build needs was not found.");
    case Errc::InvalidArgument: return QCoreApplication::translate("berth::ui::BuildDialog", "The Dockerfile or the build settings are not valid.");
    case Errc::PermissionDenied: return QCoreApplication::translate("berth::ui::BuildDialog", "The build was refused access to a file or path.");
    case Errc::Network:
    case Errc::Timeout: return QCoreApplication::translate("berth::ui::BuildDialog", "A repository or registry could not be reached.");
    case Errc::Auth: return QCoreApplication::translate("berth::ui::BuildDialog", "A repository or registry refused access.");
    default: return QCoreApplication::translate("berth::ui::BuildDialog", "The image could not be built.");
    }
}

} // namespace

BuildDialog::BuildDialog(EngineClient* client, QWidget* parent) : QDialog(parent), m_client(client) {
    setObjectName(QStringLiteral("buildDialog"));
    setMinimumSize(720, 600);

    QFormLayout* form = buildContextForm();
    QSplitter* split = buildProgressPane();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("buildStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QDialogButtonBox* buttons = buildButtons();

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    m_ticker = new QTimer(this);
    m_ticker->setInterval(250);
    connect(m_ticker, &QTimer::timeout, this, &BuildDialog::tickRunningStep);

    connectControls();
    retranslate();
    setState(State::Idle);
}

QFormLayout* BuildDialog::buildContextForm() {
    m_folderButton = new QRadioButton(this);
    m_folderButton->setObjectName(QStringLiteral("buildFromFolder"));
    m_gitButton = new QRadioButton(this);
    m_gitButton->setObjectName(QStringLiteral("buildFromGit"));
    auto* group = new QButtonGroup(this);
    group->addButton(m_folderButton);
    group->addButton(m_gitButton);
    m_folderButton->setChecked(true);

    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("buildFolder"));
    m_browse = new QPushButton(this);
    m_browse->setObjectName(QStringLiteral("buildBrowse"));
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);

    m_gitUrl = new QLineEdit(this);
    m_gitUrl->setObjectName(QStringLiteral("buildGitUrl"));
    m_ref = new QComboBox(this);
    m_ref->setObjectName(QStringLiteral("buildGitRef"));
    m_ref->setEditable(true);  // a commit or a ref not listed may be typed
    m_ref->setMinimumContentsLength(24);
    m_listRefs = new QPushButton(this);
    m_listRefs->setObjectName(QStringLiteral("buildListRefs"));
    auto* refRow = new QHBoxLayout;
    refRow->addWidget(m_ref, 1);
    refRow->addWidget(m_listRefs);
    m_subdir = new QLineEdit(this);
    m_subdir->setObjectName(QStringLiteral("buildGitSubdir"));

    m_dockerfile = new QLineEdit(this);
    m_dockerfile->setObjectName(QStringLiteral("buildDockerfile"));
    m_tag = new QLineEdit(this);
    m_tag->setObjectName(QStringLiteral("buildTag"));
    m_buildArgs = new QPlainTextEdit(this);
    m_buildArgs->setObjectName(QStringLiteral("buildArgs"));
    m_buildArgs->setMaximumHeight(64);
    m_buildArgs->setTabChangesFocus(true);
    m_noCache = new QCheckBox(this);
    m_noCache->setObjectName(QStringLiteral("buildNoCache"));

    m_refLabel = new QLabel(this);
    m_subdirLabel = new QLabel(this);
    m_dockerfileLabel = new QLabel(this);
    m_tagLabel = new QLabel(this);
    m_argsLabel = new QLabel(this);
    m_refLabel->setBuddy(m_ref);
    m_subdirLabel->setBuddy(m_subdir);
    m_dockerfileLabel->setBuddy(m_dockerfile);
    m_tagLabel->setBuddy(m_tag);
    m_argsLabel->setBuddy(m_buildArgs);

    auto* form = new QFormLayout;
    form->addRow(m_folderButton, folderRow);
    form->addRow(m_gitButton, m_gitUrl);
    form->addRow(m_refLabel, refRow);
    form->addRow(m_subdirLabel, m_subdir);
    form->addRow(m_dockerfileLabel, m_dockerfile);
    form->addRow(m_tagLabel, m_tag);
    form->addRow(m_argsLabel, m_buildArgs);
    form->addRow(QString(), m_noCache);

    return form;
}

QSplitter* BuildDialog::buildProgressPane() {
    m_steps = new QTreeWidget(this);
    m_steps->setObjectName(QStringLiteral("buildSteps"));
    m_steps->setRootIsDecorated(false);
    m_steps->setUniformRowHeights(true);
    m_steps->setSelectionMode(QAbstractItemView::NoSelection);
    m_steps->setColumnCount(4);
    m_steps->header()->setStretchLastSection(false);
    m_steps->header()->setSectionResizeMode(StepName, QHeaderView::Stretch);
    m_steps->setColumnWidth(StepNumber, 44);
    m_steps->setColumnWidth(StepState, 90);
    m_steps->setColumnWidth(StepTime, 70);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("buildLog"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setMaximumBlockCount(20000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_steps);
    split->addWidget(m_log);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);

    return split;
}

QDialogButtonBox* BuildDialog::buildButtons() {
    auto* buttons = new QDialogButtonBox(this);
    m_buildButton = buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_buildButton->setObjectName(QStringLiteral("buildStart"));
    m_buildButton->setDefault(true);
    m_cancelButton = buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    m_cancelButton->setObjectName(QStringLiteral("buildCancel"));

    return buttons;
}

void BuildDialog::connectControls() {
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Build Context Folder"),
                                                              m_folder->text().isEmpty() ? QDir::homePath() : m_folder->text());
        if (!dir.isEmpty()) m_folder->setText(dir);
    });
    connect(m_listRefs, &QPushButton::clicked, this, &BuildDialog::listRefs);
    connect(m_gitUrl, &QLineEdit::editingFinished, this, [this] {
        if (m_gitButton->isChecked() && !m_gitUrl->text().trimmed().isEmpty() && m_ref->count() == 0) listRefs();
    });
    connect(m_buildButton, &QPushButton::clicked, this, &BuildDialog::startBuild);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (m_state == State::Building)
            cancelBuild();
        else
            QDialog::reject();
    });
    for (auto* edit : {m_folder, m_gitUrl}) connect(edit, &QLineEdit::textChanged, this, &BuildDialog::updateEnabled);
    connect(m_gitUrl, &QLineEdit::textChanged, this, [this] { m_ref->clear(); });
    connect(m_folderButton, &QRadioButton::toggled, this, &BuildDialog::updateEnabled);
}

BuildDialog::~BuildDialog() {
    if (m_state == State::Building) m_client->cancel(m_job);
    if (m_refsJob) m_client->cancel(m_refsJob);
}

void BuildDialog::retranslate() {
    setWindowTitle(tr("Build Image"));
    m_folderButton->setText(tr("&Folder:"));
    m_gitButton->setText(tr("&Git repository:"));
    m_browse->setText(tr("B&rowse…"));
    m_folder->setPlaceholderText(tr("the folder with the Dockerfile and the files it copies"));
    m_folder->setAccessibleName(tr("Context folder"));
    m_gitUrl->setPlaceholderText(tr("for example https://example.com/team/app.git or /srv/git/app.git"));
    m_gitUrl->setAccessibleName(tr("Git repository"));
    m_refLabel->setText(tr("&Branch or tag:"));
    m_ref->setAccessibleName(tr("Branch or tag"));
    m_ref->lineEdit()->setPlaceholderText(tr("default branch"));
    m_listRefs->setText(tr("&List"));
    m_listRefs->setToolTip(tr("List the repository's branches and tags"));
    m_subdirLabel->setText(tr("&Subfolder:"));
    m_subdir->setPlaceholderText(tr("optional: the context inside the repository"));
    m_subdir->setAccessibleName(tr("Subfolder"));
    m_dockerfileLabel->setText(tr("&Dockerfile:"));
    m_dockerfile->setPlaceholderText(tr("Dockerfile (relative to the context)"));
    m_dockerfile->setAccessibleName(tr("Dockerfile path"));
    m_tagLabel->setText(tr("&Tag:"));
    m_tag->setPlaceholderText(tr("for example app:1 (optional)"));
    m_tag->setAccessibleName(tr("Tag"));
    m_argsLabel->setText(tr("Build &arguments:"));
    m_buildArgs->setPlaceholderText(tr("one KEY=VALUE per line"));
    m_buildArgs->setAccessibleName(tr("Build arguments"));
    m_noCache->setText(tr("Do not use the build cac&he"));
    m_steps->setHeaderLabels({tr("#"), tr("Step"), tr("State"), tr("Time")});
    m_steps->setAccessibleName(tr("Build steps"));
    m_log->setAccessibleName(tr("Build log"));
    m_buildButton->setText(tr("B&uild"));
    m_cancelButton->setText(m_state == State::Building ? tr("&Cancel") : tr("&Close"));
    for (int i = 0; i < m_steps->topLevelItemCount(); ++i) {
        auto* item = m_steps->topLevelItem(i);
        item->setText(StepState, stateText(item->data(StepState, Qt::UserRole).toString()));
    }
}

QString BuildDialog::stateText(const QString& key) const {
    if (key == QLatin1String("running")) return tr("running");
    if (key == QLatin1String("cached")) return tr("cached");
    if (key == QLatin1String("done")) return tr("done");
    if (key == QLatin1String("failed")) return tr("failed");
    if (key == QLatin1String("cancelled")) return tr("cancelled");
    return {};
}

void BuildDialog::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) retranslate();
    QDialog::changeEvent(e);
}

void BuildDialog::updateEnabled() {
    const bool building = m_state == State::Building;
    const bool git = m_gitButton->isChecked();
    for (QWidget* w : std::initializer_list<QWidget*>{m_folderButton, m_gitButton, m_dockerfile, m_tag, m_buildArgs, m_noCache})
        w->setEnabled(!building);
    m_folder->setEnabled(!building && !git);
    m_browse->setEnabled(!building && !git);
    for (QWidget* w : std::initializer_list<QWidget*>{m_gitUrl, m_ref, m_subdir}) w->setEnabled(!building && git);
    m_listRefs->setEnabled(!building && git && !m_gitUrl->text().trimmed().isEmpty());
    const QString source = git ? m_gitUrl->text().trimmed() : m_folder->text().trimmed();
    m_buildButton->setEnabled(!building && !source.isEmpty());
}

void BuildDialog::setState(State s) {
    m_state = s;
    if (s != State::Building) {
        m_ticker->stop();
        for (auto it = m_running.begin(); it != m_running.end(); ++it)
            if (auto* item = m_stepItems.value(it.key())) {
                const QString key = s == State::Cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed");
                item->setData(StepState, Qt::UserRole, key);
                item->setText(StepState, stateText(key));
            }
        m_running.clear();
    }
    m_cancelButton->setText(s == State::Building ? tr("&Cancel") : tr("&Close"));
    updateEnabled();
    emit stateChanged(s);
}

QString BuildDialog::contextSource() const {
    if (!m_gitButton->isChecked()) return m_folder->text().trimmed();
    const QString ref = m_ref->currentText().trimmed();
    const QString sub = m_subdir->text().trimmed();
    QString source = m_gitUrl->text().trimmed() + QLatin1Char('#') + ref;
    if (!sub.isEmpty()) source += QLatin1Char(':') + sub;
    return source;
}

void BuildDialog::listRefs() {
    const QString url = m_gitUrl->text().trimmed();
    if (url.isEmpty()) return;
    m_status->setText(tr("Listing the branches and tags of %1…").arg(url));
    const QString keep = m_ref->currentText();
    m_refsJob = m_client->submit(
        tr("Listing branches of %1").arg(url), QStringLiteral("build.refs"), this,
        [u = url.toStdString()](Engine& e, std::stop_token stop, const ProgressFn&) { return e.builds().listGitRefs(u, stop); },
        [this, keep](std::vector<GitRef> refs) {
            m_refsJob = 0;
            m_ref->clear();
            int head = -1;
            for (auto& r : refs) {
                if (r.kind == GitRef::Kind::Other) continue;
                const QString name = QString::fromStdString(r.name);
                const QString kind = r.kind == GitRef::Kind::Branch ? tr("branch") : tr("tag");
                m_ref->addItem(name, QString::fromStdString(r.fullName));
                m_ref->setItemData(m_ref->count() - 1,
                                   QStringLiteral("%1 · %2").arg(kind, QString::fromStdString(r.commit.substr(0, 12))),
                                   Qt::ToolTipRole);
                if (r.isHead) head = m_ref->count() - 1;
            }
            const int kept = keep.isEmpty() ? -1 : m_ref->findText(keep);
            if (kept >= 0) m_ref->setCurrentIndex(kept);
            else if (head >= 0) m_ref->setCurrentIndex(head);
            m_status->setText(tr("%n branch(es) and tag(s) found.", nullptr, m_ref->count()));
            emit refsListed(m_ref->count());
        },
        [this, url](const Error& err) {
            m_refsJob = 0;
            showError(tr("The branches and tags of %1 could not be listed.").arg(url), QString::fromStdString(err.message()));
            emit refsListed(-1);
        });
}

void BuildDialog::startBuild() {
    if (m_state == State::Building) return;
    const QString source = contextSource();
    if (source.isEmpty()) return;
    BuildRequest options;
    for (const QString& t : m_tag->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts))
        options.tags.push_back(t.toStdString());
    for (const QString& line : m_buildArgs->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString l = line.trimmed();
        if (l.isEmpty()) continue;
        const int eq = l.indexOf(QLatin1Char('='));
        if (eq == 0) {
            showError(tr("\"%1\" is not a build argument. Write it as KEY=VALUE.").arg(l), QString());
            setState(State::Failed);
            return;
        }
        options.buildArgs[(eq < 0 ? l : l.left(eq)).toStdString()] = eq < 0 ? std::string() : l.mid(eq + 1).toStdString();
    }
    options.noCache = m_noCache->isChecked();
    options.context = source.toStdString();
    QString dockerfile = m_dockerfile->text().trimmed();
    // A folder context's -f is relative to the working directory in the CLI; here it is
    // relative to the chosen folder, as the field says.
    if (!dockerfile.isEmpty() && !m_gitButton->isChecked() && QDir::isRelativePath(dockerfile))
        dockerfile = QDir(source).filePath(dockerfile);
    options.dockerfile = dockerfile.toStdString();

    m_steps->clear();
    m_stepItems.clear();
    m_running.clear();
    m_log->clear();
    m_builtId.clear();
    m_status->setText(tr("Building %1…").arg(source));
    setState(State::Building);
    m_ticker->start();

    auto jobSlot = std::make_shared<JobId>(0);
    QPointer<BuildDialog> self(this);
    auto relay = makeRelay(m_client, self, [self, jobSlot](const std::vector<BuildEvent>& events) {
        if (self && self->m_state == State::Building && self->m_job == *jobSlot) self->applyEvents(events);
    });
    m_job = m_client->submit(
        tr("Building %1").arg(source), QString(), this,
        [options, relay](Engine& e, std::stop_token stop, const ProgressFn&) {
            return e.builds().build(options, relay, stop);
        },
        [this](BuildResult result) {
            m_builtId = QString::fromStdString(result.imageId);
            const QString name = result.tags.empty() ? m_builtId : QString::fromStdString(result.tags.front());
            m_status->setText(tr("Built %1 in %n step(s), %2 from the cache.", nullptr, result.steps)
                                  .arg(name).arg(result.cachedSteps));
            setState(State::Done);
            emit built(m_builtId, name);
        },
        [this](const Error& err) {
            if (err.code() == Errc::Cancelled) {
                m_status->setText(tr("The build was cancelled; nothing was tagged."));
                setState(State::Cancelled);
                return;
            }
            showError(sentenceFor(err), QString::fromStdString(err.message()));
            setState(State::Failed);
        });
    *jobSlot = m_job;
}

void BuildDialog::cancelBuild() {
    if (m_state != State::Building) return;
    // The engine's stop token: the RUN container is killed and removed, nothing is tagged.
    m_client->cancel(m_job);
    m_status->setText(tr("The build was cancelled; nothing was tagged."));
    setState(State::Cancelled);
}

void BuildDialog::reject() {
    if (m_state == State::Building) cancelBuild();
    QDialog::reject();
}

void BuildDialog::applyEvents(const std::vector<BuildEvent>& events) {
    using K = BuildEvent::Kind;
    QString text;
    for (const auto& e : events) {
        text += QString::fromStdString(formatPlainBuildEvent(e));
        QTreeWidgetItem* item = m_stepItems.value(e.vertex);
        auto setStep = [&](const char* key, double secs) {
            if (!item) return;
            item->setData(StepState, Qt::UserRole, QString::fromLatin1(key));
            item->setText(StepState, stateText(QString::fromLatin1(key)));
            item->setText(StepTime, seconds(secs));
            m_running.remove(e.vertex);
        };
        switch (e.kind) {
        case K::StepStarted: {
            item = new QTreeWidgetItem(m_steps);
            item->setText(StepNumber, QString::number(e.vertex));
            item->setText(StepName, QString::fromStdString(e.name));
            item->setToolTip(StepName, QString::fromStdString(e.name));
            item->setData(StepState, Qt::UserRole, QStringLiteral("running"));
            item->setText(StepState, stateText(QStringLiteral("running")));
            item->setText(StepTime, seconds(0));
            m_stepItems.insert(e.vertex, item);
            m_running[e.vertex].start();
            m_steps->scrollToItem(item);
            break;
        }
        case K::Cached: setStep("cached", e.seconds); break;
        case K::StepDone: setStep("done", e.seconds); break;
        case K::StepFailed: setStep("failed", e.seconds); break;
        case K::Output:
        case K::Warning: break;
        }
    }
    if (text.endsWith(QLatin1Char('\n'))) text.chop(1);
    while (text.endsWith(QLatin1Char('\n'))) text.chop(1);
    if (!text.isEmpty()) m_log->appendPlainText(text);
}

void BuildDialog::tickRunningStep() {
    for (auto it = m_running.begin(); it != m_running.end(); ++it)
        if (auto* item = m_stepItems.value(it.key())) item->setText(StepTime, seconds(it.value().elapsed() / 1000.0));
}

void BuildDialog::showError(const QString& sentence, const QString& detail) {
    const QString hint = detail.isEmpty() ? QString() : ErrorDialog::hintFor(detail);
    QString text = hint.isEmpty() ? sentence : sentence + QLatin1Char(' ') + hint;
    if (!detail.isEmpty()) text += QStringLiteral("\n") + detail;
    m_status->setText(text);
    if (!detail.isEmpty()) m_log->appendPlainText(detail);
}

} // namespace berth::ui
