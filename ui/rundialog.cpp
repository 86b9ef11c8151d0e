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

// A line edit named `objectName` (the tests find the dialog's fields by name).
QLineEdit* lineEdit(QWidget* parent, const char* objectName, const QString& placeholder = {}) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(QString::fromLatin1(objectName));
    if (!placeholder.isEmpty()) edit->setPlaceholderText(placeholder);
    return edit;
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
    tabs->addTab(buildGeneralTab(tabs, images, image), tr("General"));
    tabs->addTab(buildWiringTab(tabs, networks), tr("Ports, volumes and network"));
    tabs->addTab(buildResourcesTab(tabs), tr("Resources and security"));
    tabs->addTab(buildMoreTab(tabs), tr("More"));
    m_restartRetries->setEnabled(false);
    connect(m_restart, &QComboBox::currentIndexChanged, this,
            [this] { m_restartRetries->setEnabled(m_restart->currentData().toString() == QLatin1String("on-failure")); });

    m_start = new QCheckBox(tr("Start the container now"), this);
    m_start->setObjectName(QStringLiteral("start"));
    m_start->setChecked(true);
    QDialogButtonBox* buttons = buildButtons(!image.trimmed().isEmpty() || !images.isEmpty());

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_start);
    layout->addWidget(buttons);
    resize(600, 520);
}

QWidget* RunDialog::buildGeneralTab(QWidget* tabs, const QStringList& images, const QString& image) {
    auto* general = new QWidget(tabs);
    auto* g = new QFormLayout(general);
    m_image = new QComboBox(general);
    m_image->setObjectName(QStringLiteral("image"));
    m_image->setEditable(true);
    m_image->addItems(images);
    m_image->setCurrentText(image);
    m_image->setAccessibleName(tr("Image"));
    m_name = lineEdit(general, "name", tr("chosen at random when empty"));
    m_command = lineEdit(general, "command", tr("the image's default command when empty"));
    m_entrypoint = lineEdit(general, "entrypoint", tr("the image's entrypoint when empty"));
    m_env = new QPlainTextEdit(general);
    m_env->setObjectName(QStringLiteral("env"));
    m_env->setPlaceholderText(tr("One KEY=value per line"));
    m_env->setFixedHeight(80);
    g->addRow(tr("&Image:"), m_image);
    g->addRow(tr("&Name:"), m_name);
    g->addRow(tr("&Command:"), m_command);
    g->addRow(tr("&Entrypoint:"), m_entrypoint);
    g->addRow(tr("En&vironment:"), m_env);
    return general;
}

QWidget* RunDialog::buildWiringTab(QWidget* tabs, const QStringList& networks) {
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
    return wiring;
}

QWidget* RunDialog::buildResourcesTab(QWidget* tabs) {
    auto* advanced = new QWidget(tabs);
    auto* a = new QFormLayout(advanced);
    m_workdir = lineEdit(advanced, "workdir");
    m_user = lineEdit(advanced, "user", tr("uid[:gid] or a user name of the image"));
    m_hostname = lineEdit(advanced, "hostname");
    m_memory = lineEdit(advanced, "memory", tr("e.g. 256m or 1g; unlimited when empty"));
    m_cpus = lineEdit(advanced, "cpus", tr("e.g. 0.5 or 2; unlimited when empty"));
    m_pids = new QSpinBox(advanced);
    // docker's --pids-limit: 0 is the default (none), -1 asks for no limit explicitly.
    m_pids->setObjectName(QStringLiteral("pidsLimit"));
    m_pids->setRange(-1, 1000000);
    m_pids->setSpecialValueText(tr("unlimited"));
    m_pids->setValue(0);
    m_pids->setToolTip(tr("0: no limit set; -1: unlimited; otherwise the most processes the container may have."));
    m_restart = new QComboBox(advanced);
    m_restart->setObjectName(QStringLiteral("restartPolicy"));
    m_restart->addItem(tr("Never"), QStringLiteral("no"));
    m_restart->addItem(tr("On failure"), QStringLiteral("on-failure"));
    m_restart->addItem(tr("Always"), QStringLiteral("always"));
    m_restart->addItem(tr("Unless stopped"), QStringLiteral("unless-stopped"));
    m_readOnly = new QCheckBox(tr("Read-only root file system"), advanced);
    m_readOnly->setObjectName(QStringLiteral("readOnly"));
    m_privileged = new QCheckBox(tr("Privileged (all capabilities, no seccomp)"), advanced);
    m_privileged->setObjectName(QStringLiteral("privileged"));
    m_remove = new QCheckBox(tr("Remove the container when it exits"), advanced);
    m_remove->setObjectName(QStringLiteral("remove"));
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
    return advanced;
}

QWidget* RunDialog::buildMoreTab(QWidget* tabs) {
    auto* more = new QWidget(tabs);
    more->setObjectName(QStringLiteral("runMoreTab"));
    auto* m = new QFormLayout(more);
    m_restartRetries = new QSpinBox(more);
    m_restartRetries->setObjectName(QStringLiteral("restartRetries"));
    m_restartRetries->setRange(0, 1000);
    m_restartRetries->setSpecialValueText(tr("no limit"));
    m_tty = new QCheckBox(tr("Give the container a terminal (-t)"), more);
    m_tty->setObjectName(QStringLiteral("tty"));
    m_memorySwap = lineEdit(more, "memorySwap", tr("memory + swap, e.g. 1g; -1 for unlimited swap"));
    m_cpuShares = new QSpinBox(more);
    m_cpuShares->setObjectName(QStringLiteral("cpuShares"));
    m_cpuShares->setRange(0, 262144);
    m_cpuShares->setSpecialValueText(tr("default"));
    m_cpuset = lineEdit(more, "cpusetCpus", tr("e.g. 0-1 or 0,2; all CPUs when empty"));
    m_tmpfs = lineEdit(more, "tmpfs", tr("e.g. /run:size=64m, /cache"));
    m_capAdd = lineEdit(more, "capAdd", tr("e.g. NET_ADMIN, SYS_PTRACE"));
    m_capDrop = lineEdit(more, "capDrop", tr("e.g. NET_RAW, or ALL"));
    m_seccomp = lineEdit(more, "seccomp", tr("the default profile when empty; \"unconfined\" or a JSON file"));
    m_noNewPrivileges = new QCheckBox(tr("No new privileges (setuid programs gain nothing)"), more);
    m_noNewPrivileges->setObjectName(QStringLiteral("noNewPrivileges"));
    m_logMaxSize = lineEdit(more, "logMaxSize", tr("e.g. 10m; unlimited when empty"));
    m_logMaxFile = new QSpinBox(more);
    m_logMaxFile->setObjectName(QStringLiteral("logMaxFile"));
    m_logMaxFile->setRange(1, 100);
    m_ulimits = lineEdit(more, "ulimits", tr("e.g. nofile=1024:2048, nproc=512"));
    m_labels = new QPlainTextEdit(more);
    m_labels->setObjectName(QStringLiteral("labels"));
    m_labels->setPlaceholderText(tr("One key=value per line"));
    m_labels->setFixedHeight(60);
    m_shmSize = lineEdit(more, "shmSize", tr("e.g. 128m; 64m when empty"));
    m_sysctls = new QPlainTextEdit(more);
    m_sysctls->setObjectName(QStringLiteral("sysctls"));
    m_sysctls->setPlaceholderText(tr("One key=value per line: net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*"));
    m_sysctls->setFixedHeight(60);
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
    m->addRow(tr("/dev/shm si&ze:"), m_shmSize);
    m->addRow(tr("S&ysctls:"), m_sysctls);
    m->addRow(QString(), m_tty);
    m->addRow(QString(), m_noNewPrivileges);
    return more;
}

QDialogButtonBox* RunDialog::buildButtons(bool imageGiven) {
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run"));
    connect(m_start, &QCheckBox::toggled, this, [buttons](bool on) {
        buttons->button(QDialogButtonBox::Ok)->setText(on ? tr("&Run") : tr("C&reate"));
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_image, &QComboBox::currentTextChanged, this,
            [buttons](const QString& t) { buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.trimmed().isEmpty()); });
    buttons->button(QDialogButtonBox::Ok)->setEnabled(imageGiven);
    return buttons;
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

bool RunDialog::createOnly() const { return !m_start->isChecked(); }

RunFlags RunDialog::flags() const {
    RunFlags f;
    auto str = [](const QString& t) { return t.trimmed().toStdString(); };
    auto lines = [](const QPlainTextEdit* e) {
        std::vector<std::string> out;
        for (const QString& line : e->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            if (!line.trimmed().isEmpty()) out.push_back(line.trimmed().toStdString());
        return out;
    };
    auto list = [](const QString& text) {
        std::vector<std::string> out;
        for (const QString& p : text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
            out.push_back(p.toStdString());
        return out;
    };
    f.image = str(m_image->currentText());
    f.name = str(m_name->text());
    for (const QString& a : splitCommand(m_command->text())) f.command.push_back(a.toStdString());
    if (!m_entrypoint->text().trimmed().isEmpty()) f.entrypoint = str(m_entrypoint->text());
    f.env = lines(m_env);
    for (int r = 0; r < m_ports->rowCount(); ++r) {
        const QString ip = cellText(m_ports, r, 0), host = cellText(m_ports, r, 1), ctr = cellText(m_ports, r, 2);
        const QString proto = cellText(m_ports, r, 3);
        if (ip.isEmpty() && host.isEmpty() && ctr.isEmpty()) continue;
        // docker's -p text, so the engine's parser checks every part.
        QString spec = ctr;
        if (!host.isEmpty() || !ip.isEmpty()) spec = host + QLatin1Char(':') + spec;
        if (!ip.isEmpty()) spec = ip + QLatin1Char(':') + spec;
        // tcp is the default: left out, so the text is what a CLI user types.
        if (!proto.isEmpty() && proto.toLower() != QLatin1String("tcp")) spec += QLatin1Char('/') + proto.toLower();
        f.publish.push_back(spec.toStdString());
    }
    for (int r = 0; r < m_volumes->rowCount(); ++r) {
        const QString source = cellText(m_volumes, r, 0), target = cellText(m_volumes, r, 1);
        const QTableWidgetItem* ro = m_volumes->item(r, 2);
        if (source.isEmpty() && target.isEmpty()) continue;
        QString spec = source.isEmpty() ? target : source + QLatin1Char(':') + target;
        if (ro && ro->checkState() == Qt::Checked) spec += QStringLiteral(":ro");
        f.volumes.push_back(spec.toStdString());
    }
    f.network = m_network->currentData().toString().toStdString();
    f.workdir = str(m_workdir->text());
    f.user = str(m_user->text());
    f.hostname = str(m_hostname->text());
    f.memory = str(m_memory->text());
    f.cpus = str(m_cpus->text());
    if (m_pids->value() != 0) f.pidsLimit = std::to_string(m_pids->value());  // -1: unlimited
    const QString policy = m_restart->currentData().toString();
    if (!policy.isEmpty() && policy != QLatin1String("no")) {
        f.restart = policy.toStdString();
        if (policy == QLatin1String("on-failure") && m_restartRetries->value() > 0)
            f.restart += ":" + std::to_string(m_restartRetries->value());
    }
    f.readOnly = m_readOnly->isChecked();
    f.privileged = m_privileged->isChecked();
    f.rm = m_remove->isChecked();
    f.tty = m_tty->isChecked();
    f.memorySwap = str(m_memorySwap->text());
    if (m_cpuShares->value() > 0) f.cpuShares = std::to_string(m_cpuShares->value());
    f.cpusetCpus = str(m_cpuset->text());
    // tmpfs options contain commas ("/run:size=64m,mode=1777"): a new mount starts with "/".
    for (const QString& t : m_tmpfs->text().split(QRegularExpression(QStringLiteral("\\s*,\\s*(?=/)|\\s+")), Qt::SkipEmptyParts))
        f.tmpfs.push_back(t.toStdString());
    f.capAdd = list(m_capAdd->text());
    f.capDrop = list(m_capDrop->text());
    if (!m_seccomp->text().trimmed().isEmpty()) f.securityOpts.push_back("seccomp=" + str(m_seccomp->text()));
    if (m_noNewPrivileges->isChecked()) f.securityOpts.push_back("no-new-privileges");
    if (!m_logMaxSize->text().trimmed().isEmpty()) f.logOpts.push_back("max-size=" + str(m_logMaxSize->text()));
    if (m_logMaxFile->value() > 1) f.logOpts.push_back("max-file=" + std::to_string(m_logMaxFile->value()));
    f.ulimits = list(m_ulimits->text());
    f.labels = lines(m_labels);
    f.shmSize = str(m_shmSize->text());
    f.sysctls = lines(m_sysctls);
    return f;
}

} // namespace berth::ui
