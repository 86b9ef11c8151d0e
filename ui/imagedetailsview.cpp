#include "imagedetailsview.h"

#include "bardelegate.h"
#include "engineclient.h"
#include "format.h"
#include "historymodel.h"
#include "imagebackend.h"
#include "imagefilesmodel.h"
#include "imagefstree.h"
#include "layersmodel.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace berth::ui {

namespace {
enum Field { Id, Created, Platform, Entrypoint, Cmd, WorkDir, User, Env, Ports, Volumes, Labels, Author, FieldCount };

QTableView* makeTable(QWidget* parent, QAbstractItemModel* model) {
    auto* t = new QTableView(parent);
    t->setModel(model);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setShowGrid(false);
    t->setWordWrap(false);
    return t;
}

QString joinArgs(const QStringList& args) {
    QStringList quoted;
    for (const QString& a : args) quoted.append(a.contains(QLatin1Char(' ')) ? QLatin1Char('"') + a + QLatin1Char('"') : a);
    return quoted.join(QLatin1Char(' '));
}
} // namespace

ImageDetailsView::ImageDetailsView(EngineClient* client, QWidget* parent)
    : QTabWidget(parent), m_client(client), m_layers(new LayersModel(this)), m_history(new HistoryModel(this)),
      m_files(new ImageFilesModel(this)), m_filesProxy(new QSortFilterProxyModel(this)) {
    setDocumentMode(false);
    addTab(buildOverview(), tr("Overview"));
    m_layersView = makeTable(this, m_layers);
    m_layersView->setItemDelegateForColumn(LayersModel::Size, new BarDelegate(LayersModel::SizeFractionRole, QColor(0x8e, 0x6c, 0xf0), this));
    m_layersView->setColumnWidth(LayersModel::Index, 40);
    m_layersView->setColumnWidth(LayersModel::Size, 200);
    m_layersView->setColumnWidth(LayersModel::Digest, 130);
    m_layersView->setAccessibleName(tr("Layers"));
    addTab(m_layersView, tr("Layers"));
    m_historyView = makeTable(this, m_history);
    m_historyView->setColumnWidth(HistoryModel::Created, 140);
    m_historyView->setAccessibleName(tr("History"));
    addTab(m_historyView, tr("History"));
    addTab(buildFiles(), tr("Files"));
}

QWidget* ImageDetailsView::buildOverview() {
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* w = new QWidget(scroll);
    m_form = new QFormLayout(w);
    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    m_form->setContentsMargins(16, 12, 16, 12);
    m_form->setHorizontalSpacing(18);
    m_form->setVerticalSpacing(7);
    const QString labels[FieldCount] = {tr("ID"),          tr("Created"), tr("Platform"), tr("Entrypoint"),
                                        tr("Command"),     tr("Working directory"), tr("User"), tr("Environment"),
                                        tr("Exposed ports"), tr("Volumes"), tr("Labels"), tr("Author")};
    for (int i = 0; i < FieldCount; ++i) {
        m_fields[i] = new QLabel(w);
        m_fields[i]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_fields[i]->setWordWrap(true);
        if (i == Id || i == Entrypoint || i == Cmd || i == Env) {
            QFont f(QStringLiteral("monospace"));
            f.setStyleHint(QFont::Monospace);
            m_fields[i]->setFont(f);
        }
        auto* label = new QLabel(labels[i] + QLatin1Char(':'), w);
        label->setObjectName(QStringLiteral("sectionTitle"));
        label->setBuddy(m_fields[i]);
        m_form->addRow(label, m_fields[i]);
    }
    scroll->setWidget(w);
    return scroll;
}

QWidget* ImageDetailsView::buildFiles() {
    auto* w = new QWidget(this);
    auto* l = new QVBoxLayout(w);
    l->setContentsMargins(6, 6, 6, 6);
    auto* top = new QHBoxLayout;
    m_filesFilter = new QLineEdit(w);
    m_filesFilter->setPlaceholderText(tr("Filter files by name"));
    m_filesFilter->setAccessibleName(tr("Filter files"));
    m_filesFilter->setClearButtonEnabled(true);
    top->addWidget(m_filesFilter, 1);
    m_filesStatus = new QLabel(w);
    top->addWidget(m_filesStatus);
    l->addLayout(top);
    m_filesProxy->setSourceModel(m_files);
    m_filesProxy->setRecursiveFilteringEnabled(true);
    m_filesProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filesProxy->setFilterKeyColumn(ImageFilesModel::Name);
    m_filesView = new QTreeView(w);
    m_filesView->setModel(m_filesProxy);
    m_filesView->setUniformRowHeights(true);
    m_filesView->setAlternatingRowColors(true);
    m_filesView->setAccessibleName(tr("Image files"));
    m_filesView->header()->setStretchLastSection(false);
    m_filesView->header()->setSectionResizeMode(ImageFilesModel::Name, QHeaderView::Stretch);
    m_filesView->setColumnWidth(ImageFilesModel::Size, 90);
    m_filesView->setColumnWidth(ImageFilesModel::Layer, 60);
    m_filesView->setColumnWidth(ImageFilesModel::Change, 90);
    l->addWidget(m_filesView, 1);
    connect(m_filesFilter, &QLineEdit::textChanged, this, [this](const QString& t) {
        m_filesProxy->setFilterFixedString(t);
        if (!t.isEmpty()) m_filesView->expandAll();
    });
    return w;
}

void ImageDetailsView::showImage(const QString& ref) {
    m_ref = ref;
    if (ref.isEmpty()) {
        setDetails(ImageDetails{});
        m_files->setTree(nullptr);
        return;
    }
    m_client->submit(
        tr("Reading image %1").arg(format::shortId(ref)), QStringLiteral("image.details"), this,
        [ref](Engine& e, std::stop_token, const ProgressFn&) { return backend::imageDetails(e, ref); },
        [this](ImageDetails d) {
            setDetails(d);
            loadFiles();
            emit detailsLoaded(d.id);
        },
        [this](const Error& err) {
            setDetails(ImageDetails{});
            m_fields[Id]->setText(tr("The image details could not be read: %1").arg(QString::fromStdString(err.message())));
        });
}

void ImageDetailsView::setDetails(const ImageDetails& d) {
    m_fields[Id]->setText(d.id);
    m_fields[Created]->setText(d.created.isValid()
                                   ? QLocale().toString(d.created.toLocalTime(), QLocale::LongFormat) + QStringLiteral("  (") +
                                         format::ago(d.created) + QLatin1Char(')')
                                   : QString());
    m_fields[Platform]->setText(d.os.isEmpty() ? QString() : d.os + QLatin1Char('/') + d.architecture);
    m_fields[Entrypoint]->setText(joinArgs(d.entrypoint));
    m_fields[Cmd]->setText(joinArgs(d.cmd));
    m_fields[WorkDir]->setText(d.workingDir);
    m_fields[User]->setText(d.user);
    m_fields[Env]->setText(d.env.join(QLatin1Char('\n')));
    m_fields[Ports]->setText(d.exposedPorts.join(QStringLiteral(", ")));
    m_fields[Volumes]->setText(d.volumes.join(QStringLiteral(", ")));
    QStringList labels;
    for (auto it = d.labels.begin(); it != d.labels.end(); ++it) labels.append(it.key() + QLatin1Char('=') + it.value());
    m_fields[Labels]->setText(labels.join(QLatin1Char('\n')));
    m_fields[Author]->setText(d.author);
    const QString none = tr("—");
    for (QLabel* f : m_fields)
        if (f && f->text().isEmpty()) f->setText(none);
    m_layers->setLayers(d.layers);
    m_history->setHistory(d.history);
}

void ImageDetailsView::loadFiles() {
    m_filesStatus->setText(tr("Reading files…"));
    const QString id = m_ref;
    struct Tree {
        std::shared_ptr<std::unique_ptr<FsNode>> root;
    };
    m_client->submit(
        tr("Reading files of %1").arg(format::shortId(id)), QStringLiteral("image.files"), this,
        [id](Engine& e, std::stop_token stop, const ProgressFn&) -> Result<Tree> {
            auto tree = BERTH_TRY(e.images().fileTree(id.toStdString(), stop));
            return Tree{std::make_shared<std::unique_ptr<FsNode>>(ImageFsTree::fromEngine(tree))};
        },
        [this, id](Tree t) {
            m_files->setTree(std::move(*t.root));
            int files = 0;
            std::function<void(const FsNode*)> count = [&](const FsNode* n) {
                for (const auto& c : n->children) {
                    if (c->kind != FsNode::Kind::Directory) ++files;
                    count(c.get());
                }
            };
            if (m_files->root()) count(m_files->root());
            m_filesStatus->setText(tr("%n path(s)", nullptr, files));
            m_filesView->expand(m_filesProxy->index(0, 0));
            emit filesLoaded(id);
        },
        [this](const Error& err) {
            m_files->setTree(nullptr);
            m_filesStatus->setText(tr("The files could not be read: %1").arg(QString::fromStdString(err.message())));
        });
}

} // namespace berth::ui
