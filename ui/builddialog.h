#pragma once
// BuildDialog: "Build…" on the Images page. The context is a folder, or a git repository
// whose branches and tags are listed through libgit2 (on a worker, never the GUI thread)
// to choose from; plus the Dockerfile path, the tag and build arguments. The build runs
// through EngineClient as a job (Builds::build with its stop token); the builder's
// progress events arrive batched on the GUI thread and fill a step list (number, step,
// state, time, ticking while a step runs) and the plain build log. Cancel stops the build
// for real (its RUN container is killed, nothing is tagged). When the build succeeds,
// built() names the new image so the Images page can select and open it.

#include "engineclient.h"

#include "berth/builds.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSplitter;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace berth::ui {

class BuildDialog : public QDialog {
    Q_OBJECT
public:
    enum class State { Idle, Building, Done, Failed, Cancelled };
    Q_ENUM(State)
    // Step list columns.
    enum Column { StepNumber, StepName, StepState, StepTime };

    explicit BuildDialog(EngineClient* client, QWidget* parent = nullptr);
    ~BuildDialog() override;

    State state() const { return m_state; }
    QRadioButton* folderButton() const { return m_folderButton; }
    QRadioButton* gitButton() const { return m_gitButton; }
    QLineEdit* folderEdit() const { return m_folder; }
    QLineEdit* gitUrlEdit() const { return m_gitUrl; }
    QComboBox* refCombo() const { return m_ref; }
    QPushButton* listRefsButton() const { return m_listRefs; }
    QLineEdit* subdirEdit() const { return m_subdir; }
    QLineEdit* dockerfileEdit() const { return m_dockerfile; }
    QLineEdit* tagEdit() const { return m_tag; }
    QPlainTextEdit* buildArgsEdit() const { return m_buildArgs; }
    QCheckBox* noCacheBox() const { return m_noCache; }
    QTreeWidget* stepList() const { return m_steps; }
    QPlainTextEdit* logView() const { return m_log; }
    QLabel* statusLabel() const { return m_status; }
    QPushButton* buildButton() const { return m_buildButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    // The id ("sha256:…") of the last image built, and the names it got.
    QString builtImageId() const { return m_builtId; }
    bool listingRefs() const { return m_refsJob != 0; }

    // The context string handed to the engine: the folder, or "url#ref:subdir".
    QString contextSource() const;
    void listRefs();
    void startBuild();
    void cancelBuild();

signals:
    void built(const QString& imageId, const QString& name);
    void stateChanged(berth::ui::BuildDialog::State state);
    void refsListed(int count);

protected:
    void reject() override;
    void changeEvent(QEvent* e) override;

private:
    // The context (folder, or git URL, ref and subdirectory), Dockerfile, tag, arguments.
    QFormLayout* buildContextForm();
    // The step list above the build log.
    QSplitter* buildProgressPane();
    QDialogButtonBox* buildButtons();
    void connectControls();
    void setState(State s);
    void updateEnabled();
    void applyEvents(const std::vector<BuildEvent>& events);
    void tickRunningStep();
    void showError(const QString& sentence, const QString& detail);
    void retranslate();
    QString stateText(const QString& key) const;

    EngineClient* m_client;
    QRadioButton* m_folderButton;
    QRadioButton* m_gitButton;
    QLineEdit* m_folder;
    QPushButton* m_browse;
    QLineEdit* m_gitUrl;
    QComboBox* m_ref;
    QPushButton* m_listRefs;
    QLineEdit* m_subdir;
    QLineEdit* m_dockerfile;
    QLineEdit* m_tag;
    QPlainTextEdit* m_buildArgs;
    QCheckBox* m_noCache;
    QLabel* m_refLabel;
    QLabel* m_subdirLabel;
    QLabel* m_dockerfileLabel;
    QLabel* m_tagLabel;
    QLabel* m_argsLabel;
    QTreeWidget* m_steps;
    QPlainTextEdit* m_log;
    QLabel* m_status;
    QPushButton* m_buildButton;
    QPushButton* m_cancelButton;
    QTimer* m_ticker;
    State m_state = State::Idle;
    JobId m_job = 0;
    JobId m_refsJob = 0;
    QString m_builtId;
    // Steps of the running build by vertex number, and the clock of each running one.
    QHash<int, QTreeWidgetItem*> m_stepItems;
    QHash<int, QElapsedTimer> m_running;
};

} // namespace berth::ui
