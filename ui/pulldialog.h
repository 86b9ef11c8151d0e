#pragma once
// PullDialog: "Pull…" on the Images page. The user names a reference (and optionally a
// platform); the pull runs through EngineClient as a job (Images::pull on a worker,
// with its stop token), its progress arrives through PullProgressRelay: one row per layer
// with state and bytes, and an overall bar. Cancel stops the engine's pull for real (the
// store keeps nothing of it); a failure is a sentence with the engine's detail under
// "Details…". Non-modal: the window stays usable while a pull runs.

#include "engineclient.h"
#include "pullprogressrelay.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace berth::ui {

class PullLayersModel;

class PullDialog : public QDialog {
    Q_OBJECT
public:
    enum class State { Idle, Pulling, Done, Failed, Cancelled };
    Q_ENUM(State)

    explicit PullDialog(EngineClient* client, QWidget* parent = nullptr);
    ~PullDialog() override;

    State state() const { return m_state; }
    JobId jobId() const { return m_job; }
    QLineEdit* referenceEdit() const { return m_reference; }
    QLineEdit* platformEdit() const { return m_platform; }
    QPushButton* pullButton() const { return m_pullButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    QPushButton* detailsButton() const { return m_detailsButton; }
    QLabel* statusLabel() const { return m_status; }
    QPlainTextEdit* detailsText() const { return m_details; }
    QProgressBar* overallBar() const { return m_overall; }
    PullLayersModel* layersModel() const { return m_layers; }
    QTableView* layersView() const { return m_view; }
    const PullSnapshot& lastSnapshot() const { return m_snapshot; }
    // The name the last successful pull stored ("docker.io/library/busybox:latest").
    QString pulledName() const { return m_pulledName; }

    void startPull();
    void cancelPull();

signals:
    void pulled(const QString& name);
    void stateChanged(berth::ui::PullDialog::State state);

protected:
    void reject() override;
    void changeEvent(QEvent* e) override;

private:
    void setState(State s);
    void showSnapshot(const PullSnapshot& snap);
    void showError(const QString& sentence, const QString& detail);
    void retranslate();

    EngineClient* m_client;
    PullLayersModel* m_layers;
    QLabel* m_referenceLabel;
    QLabel* m_platformLabel;
    QLineEdit* m_reference;
    QLineEdit* m_platform;
    QLabel* m_status;
    QLabel* m_resolved;
    QProgressBar* m_overall;
    QTableView* m_view;
    QPushButton* m_detailsButton;
    QPlainTextEdit* m_details;
    QPushButton* m_pullButton;
    QPushButton* m_cancelButton;
    State m_state = State::Idle;
    JobId m_job = 0;
    PullSnapshot m_snapshot;
    QString m_pulledName;
    QString m_pullingRef;
};

} // namespace berth::ui
