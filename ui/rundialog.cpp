#include "rundialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>

namespace berth::ui {

namespace {

// A small editable table with Add/Remove buttons under it.
QWidget* tableWithButtons(QTableWidget* table, const QString& addText, const QString& removeText,
                          const std::function<void()>& addRow, QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setMinimumHeight(110);
    v->addWidget(table);
    auto* h = new QHBoxLayout;
    auto* add = new QPushButton(addText, box);
    auto* remove = new QPushButton(removeText, box);
    QObject::connect(add, &QPushButton::clicked, table, [addRow] { addRow(); });
    QObject::connect(remove, &QPushButton::clicked, table, [table] {
        const int r = table->currentRow();
        if (r >= 0) table->removeRow(r);
    });
    h->addWidget(add);
    h->addWidget(remove);
    h->addStretch(1);
    v->addLayout(h);
    return box;
}

QString cellText(const QTableWidget* t, int row, int col) {
    const QTableWidgetItem* item = t->item(row, col);
    return item ? item->text().trimmed() : QString();
}

} // namespace

RunDialog::RunDialog(const QStringList& images, const QString& image, QWidget* parent, const QStringList& networks)
    : QDialog(parent) {
    setWindowTitle(tr("Run a Container"));
    setObjectName(QStringLiteral("runDialog"));
    auto* tabs = new QTabWidget(this);

    auto* general = new QWidget(tabs);
    auto* g = new QFormLayout(general);
    m_image = new QComboBox(general);
    m_image->setEditable(true);
    m_image->addItems(images);
    m_image->setCurrentText(image);
    m_image->setAccessibleName(tr("Image"));
    m_name = new QLineEdit(general);
    m_name->setPlaceholderText(tr("chosen at random when empty"));
    m_command = new QLineEdit(general);
    m_command->setPlaceholderText(tr("the image's default command when empty"));
    m_entrypoint = new QLineEdit(general);
    m_entrypoint->setPlaceholderText(tr("the image's entrypoint when empty"));
    m_env = new QPlainTextEdit(general);
    m_env->setPlaceholderText(tr("One KEY=value per line"));
    m_env->setFixedHeight(80);
    g->addRow(tr("&Image:"), m_image);
    g->addRow(tr("&Name:"), m_name);
    g->addRow(tr("&Command:"), m_command);
    g->addRow(tr("&Entrypoint:"), m_entrypoint);
    g->addRow(tr("En&vironment:"), m_env);
    tabs->addTab(general, tr("General"));

    auto* wiring = new QWidget(tabs);
    wiring->setObjectName(QStringLiteral("runWiringTab"));
    auto* w = new QFormLayout(wiring);
    m_ports = new QTableWidget(0, 4, wiring);
    m_ports->setObjectName(QStringLiteral("portsTable"));
    m_ports->setAccessibleName(tr("Published ports"));
    m_ports->setHorizontalHeaderLabels({tr("Host IP"), tr("Host port"), tr("Container port"), tr("Protocol")});
    m_ports->setToolTip(tr("An empty host IP listens on every address; an empty host port picks a free one."));
    auto addPort = [this] {
        const int r = m_ports->rowCount();
        m_ports->insertRow(r);
        m_ports->setItem(r, 3, new QTableWidgetItem(QStringLiteral("tcp")));
        m_ports->setCurrentCell(r, 1);
    };
    m_volumes = new QTableWidget(0, 3, wiring);
    m_volumes->setObjectName(QStringLiteral("volumesTable"));
    m_volumes->setAccessibleName(tr("Volumes and bind mounts"));
    m_volumes->setHorizontalHeaderLabels({tr("Volume or host path"), tr("Path in the container"), tr("Read-only")});
    m_volumes->setToolTip(tr("A name is a volume (created when missing), an absolute path a host folder that must "
                             "exist; empty makes an anonymous volume."));
    auto addVolume = [this] {
        const int r = m_volumes->rowCount();
        m_volumes->insertRow(r);
        auto* ro = new QTableWidgetItem;
        ro->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        ro->setCheckState(Qt::Unchecked);
        m_volumes->setItem(r, 2, ro);
        m_volumes->setCurrentCell(r, 0);
    };
    m_network = new QComboBox(wiring);
    m_network->setObjectName(QStringLiteral("network"));
    m_network->setAccessibleName(tr("Network"));
    m_network->addItem(tr("Default (bridge)"), QString());
    for (const QString& n : networks)
        if (n != QLatin1String("bridge")) m_network->addItem(n, n);
    if (m_network->findData(QStringLiteral("none")) < 0) m_network->addItem(QStringLiteral("none"), QStringLiteral("none"));
    if (m_network->findData(QStringLiteral("host")) < 0) m_network->addItem(QStringLiteral("host"), QStringLiteral("host"));
    w->addRow(tr("&Ports:"), tableWithButtons(m_ports, tr("Add Port"), tr("Remove Port"), addPort, wiring));
    w->addRow(tr("&Volumes:"), tableWithButtons(m_volumes, tr("Add Volume"), tr("Remove Volume"), addVolume, wiring));
    w->addRow(tr("Net&work:"), m_network);
    tabs->addTab(wiring, tr("Ports, volumes and network"));

    auto* advanced = new QWidget(tabs);
    auto* a = new QFormLayout(advanced);
    m_workdir = new QLineEdit(advanced);
    m_user = new QLineEdit(advanced);
    m_user->setPlaceholderText(tr("uid[:gid] or a user name of the image"));
    m_hostname = new QLineEdit(advanced);
    m_memory = new QLineEdit(advanced);
    m_memory->setPlaceholderText(tr("e.g. 256m or 1g; unlimited when empty"));
    m_cpus = new QLineEdit(advanced);
    m_cpus->setPlaceholderText(tr("e.g. 0.5 or 2; unlimited when empty"));
    m_pids = new QSpinBox(advanced);
    m_pids->setRange(0, 1000000);
    m_pids->setSpecialValueText(tr("unlimited"));
    m_restart = new QComboBox(advanced);
    m_restart->setObjectName(QStringLiteral("restartPolicy"));
    m_restart->addItem(tr("Never"), QStringLiteral("no"));
    m_restart->addItem(tr("On failure"), QStringLiteral("on-failure"));
    m_restart->addItem(tr("Always"), QStringLiteral("always"));
    m_restart->addItem(tr("Unless stopped"), QStringLiteral("unless-stopped"));
    m_readOnly = new QCheckBox(tr("Read-only root file system"), advanced);
    m_privileged = new QCheckBox(tr("Privileged (all capabilities, no seccomp)"), advanced);
    m_remove = new QCheckBox(tr("Remove the container when it exits"), advanced);
    a->addRow(tr("&Working directory:"), m_workdir);
    a->addRow(tr("&User:"), m_user);
    a->addRow(tr("&Hostname:"), m_hostname);
    a->addRow(tr("&Memory limit:"), m_memory);
    a->addRow(tr("C&PU limit:"), m_cpus);
    a->addRow(tr("Process &limit:"), m_pids);
    a->addRow(tr("&Restart policy:"), m_restart);
    a->addRow(QString(), m_readOnly);
    a->addRow(QString(), m_privileged);
    a->addRow(QString(), m_remove);
    tabs->addTab(advanced, tr("Resources and security"));

    auto* more = new QWidget(tabs);
    more->setObjectName(QStringLiteral("runMoreTab"));
    auto* m = new QFormLayout(more);
    m_restartRetries = new QSpinBox(more);
    m_restartRetries->setObjectName(QStringLiteral("restartRetries"));
    m_restartRetries->setRange(0, 1000);
    m_restartRetries->setSpecialValueText(tr("no limit"));
    m_tty = new QCheckBox(tr("Give the container a terminal (-t)"), more);
    m_memorySwap = new QLineEdit(more);
    m_memorySwap->setObjectName(QStringLiteral("memorySwap"));
    m_memorySwap->setPlaceholderText(tr("memory + swap, e.g. 1g; -1 for unlimited swap"));
    m_cpuShares = new QSpinBox(more);
    m_cpuShares->setObjectName(QStringLiteral("cpuShares"));
    m_cpuShares->setRange(0, 262144);
    m_cpuShares->setSpecialValueText(tr("default"));
    m_cpuset = new QLineEdit(more);
    m_cpuset->setObjectName(QStringLiteral("cpusetCpus"));
    m_cpuset->setPlaceholderText(tr("e.g. 0-1 or 0,2; all CPUs when empty"));
    m_tmpfs = new QLineEdit(more);
    m_tmpfs->setObjectName(QStringLiteral("tmpfs"));
    m_tmpfs->setPlaceholderText(tr("e.g. /run:size=64m, /cache"));
    m_capAdd = new QLineEdit(more);
    m_capAdd->setObjectName(QStringLiteral("capAdd"));
    m_capAdd->setPlaceholderText(tr("e.g. NET_ADMIN, SYS_PTRACE"));
    m_capDrop = new QLineEdit(more);
    m_capDrop->setObjectName(QStringLiteral("capDrop"));
    m_capDrop->setPlaceholderText(tr("e.g. NET_RAW, or ALL"));
    m_seccomp = new QLineEdit(more);
    m_seccomp->setObjectName(QStringLiteral("seccomp"));
    m_seccomp->setPlaceholderText(tr("the default profile when empty; \"unconfined\" or a JSON file"));
    m_noNewPrivileges = new QCheckBox(tr("No new privileges (setuid programs gain nothing)"), more);
    m_logMaxSize = new QLineEdit(more);
    m_logMaxSize->setObjectName(QStringLiteral("logMaxSize"));
    m_logMaxSize->setPlaceholderText(tr("e.g. 10m; unlimited when empty"));
    m_logMaxFile = new QSpinBox(more);
    m_logMaxFile->setObjectName(QStringLiteral("logMaxFile"));
    m_logMaxFile->setRange(1, 100);
    m_ulimits = new QLineEdit(more);
    m_ulimits->setObjectName(QStringLiteral("ulimits"));
    m_ulimits->setPlaceholderText(tr("e.g. nofile=1024:2048, nproc=512"));
    m_labels = new QPlainTextEdit(more);
    m_labels->setObjectName(QStringLiteral("labels"));
    m_labels->setPlaceholderText(tr("One key=value per line"));
    m_labels->setFixedHeight(60);
    m->addRow(tr("Restart &retries:"), m_restartRetries);
    m->addRow(tr("Memory + &swap:"), m_memorySwap);
    m->addRow(tr("CPU s&hares:"), m_cpuShares);
    m->addRow(tr("CPU se&t:"), m_cpuset);
    m->addRow(tr("&tmpfs mounts:"), m_tmpfs);
    m->addRow(tr("&Add capabilities:"), m_capAdd);
    m->addRow(tr("&Drop capabilities:"), m_capDrop);
    m->addRow(tr("Secco&mp profile:"), m_seccomp);
    m->addRow(tr("&Log file size:"), m_logMaxSize);
    m->addRow(tr("Log &files kept:"), m_logMaxFile);
    m->addRow(tr("&Ulimits:"), m_ulimits);
    m->addRow(tr("La&bels:"), m_labels);
    m->addRow(QString(), m_tty);
    m->addRow(QString(), m_noNewPrivileges);
    tabs->addTab(more, tr("More"));
    m_restartRetries->setEnabled(false);
    connect(m_restart, &QComboBox::currentIndexChanged, this,
            [this] { m_restartRetries->setEnabled(m_restart->currentData().toString() == QLatin1String("on-failure")); });

    m_start = new QCheckBox(tr("Start the container now"), this);
    m_start->setChecked(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run"));
    connect(m_start, &QCheckBox::toggled, this, [buttons](bool on) {
        buttons->button(QDialogButtonBox::Ok)->setText(on ? tr("&Run") : tr("C&reate"));
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_image, &QComboBox::currentTextChanged, this,
            [buttons](const QString& t) { buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.trimmed().isEmpty()); });
    buttons->button(QDialogButtonBox::Ok)->setEnabled(!image.trimmed().isEmpty() || !images.isEmpty());

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_start);
    layout->addWidget(buttons);
    resize(600, 520);
}

QStringList RunDialog::splitCommand(const QString& text) {
    QStringList out;
    QString cur;
    bool inWord = false;
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == quote) quote = QChar();
            else if (c == QLatin1Char('\\') && quote == QLatin1Char('"') && i + 1 < text.size()) cur += text[++i];
            else cur += c;
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            cur += text[++i];
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord) out.append(cur);
            cur.clear();
            inWord = false;
        } else {
            cur += c;
            inWord = true;
        }
    }
    if (inWord) out.append(cur);
    return out;
}

backend::RunOptions RunDialog::options() const {
    backend::RunOptions o;
    o.image = m_image->currentText().trimmed();
    o.name = m_name->text().trimmed();
    o.command = splitCommand(m_command->text());
    o.entrypoint = m_entrypoint->text().trimmed();
    for (const QString& line : m_env->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty()) o.env.append(line.trimmed());
    for (int r = 0; r < m_ports->rowCount(); ++r) {
        const QString ip = cellText(m_ports, r, 0), host = cellText(m_ports, r, 1), ctr = cellText(m_ports, r, 2);
        QString proto = cellText(m_ports, r, 3);
        if (ip.isEmpty() && host.isEmpty() && ctr.isEmpty()) continue;
        // docker's -p text, so the engine's parser checks every part.
        QString spec = ctr;
        if (!host.isEmpty() || !ip.isEmpty()) spec = host + QLatin1Char(':') + spec;
        if (!ip.isEmpty()) spec = ip + QLatin1Char(':') + spec;
        if (!proto.isEmpty()) spec += QLatin1Char('/') + proto.toLower();
        o.publish.append(spec);
    }
    for (int r = 0; r < m_volumes->rowCount(); ++r) {
        const QString source = cellText(m_volumes, r, 0), target = cellText(m_volumes, r, 1);
        const QTableWidgetItem* ro = m_volumes->item(r, 2);
        if (source.isEmpty() && target.isEmpty()) continue;
        QString spec = source.isEmpty() ? target : source + QLatin1Char(':') + target;
        if (ro && ro->checkState() == Qt::Checked) spec += QStringLiteral(":ro");
        o.volumes.append(spec);
    }
    o.network = m_network->currentData().toString();
    o.workdir = m_workdir->text().trimmed();
    o.user = m_user->text().trimmed();
    o.hostname = m_hostname->text().trimmed();
    o.memory = m_memory->text().trimmed();
    o.cpus = m_cpus->text().trimmed();
    o.pidsLimit = m_pids->value();
    o.restartPolicy = m_restart->currentData().toString();
    o.readOnly = m_readOnly->isChecked();
    o.privileged = m_privileged->isChecked();
    o.remove = m_remove->isChecked();
    o.start = m_start->isChecked();
    auto list = [](const QString& text) {
        QStringList out;
        for (const QString& p : text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) out.append(p);
        return out;
    };
    o.restartMaxRetries = m_restartRetries->isEnabled() ? m_restartRetries->value() : 0;
    o.tty = m_tty->isChecked();
    o.memorySwap = m_memorySwap->text().trimmed();
    o.cpuShares = m_cpuShares->value();
    o.cpusetCpus = m_cpuset->text().trimmed();
    // tmpfs options contain commas ("/run:size=64m,mode=1777"): a new mount starts with "/".
    for (const QString& t : m_tmpfs->text().split(QRegularExpression(QStringLiteral("\\s*,\\s*(?=/)|\\s+")), Qt::SkipEmptyParts))
        o.tmpfs.append(t);
    o.capAdd = list(m_capAdd->text());
    o.capDrop = list(m_capDrop->text());
    o.seccompProfile = m_seccomp->text().trimmed();
    o.noNewPrivileges = m_noNewPrivileges->isChecked();
    o.logMaxSize = m_logMaxSize->text().trimmed();
    o.logMaxFile = m_logMaxFile->value();
    o.ulimits = list(m_ulimits->text());
    for (const QString& line : m_labels->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty()) o.labels.append(line.trimmed());
    return o;
}

} // namespace berth::ui
