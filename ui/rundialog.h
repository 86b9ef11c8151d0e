#pragma once
// RunDialog: everything `berth run` offers that a form can hold: image, name, command,
// entrypoint, environment, published ports, working directory, user, hostname, memory and
// CPU limits, pids limit, restart policy (with its retry count), read-only root, privileged,
// remove on exit, whether to start at once or only create; and on the "More" tab memory+swap,
// CPU shares and CPU set, a terminal, tmpfs mounts, capabilities added and dropped, the
// seccomp profile, no-new-privileges, log rotation, ulimits and labels; on the "Ports,
// volumes and network" tab a table of published ports, a table of volumes and bind mounts
// (read-only or not) and the network to join.

#include "containerbackend.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;

namespace berth::ui {

class RunDialog : public QDialog {
    Q_OBJECT
public:
    RunDialog(const QStringList& images, const QString& image, QWidget* parent = nullptr,
              const QStringList& networks = {});
    // The dialog as docker's run flags, as typed: the engine's parseRunFlags (the one the
    // CLI uses) checks them and names the flag of a bad value.
    RunFlags flags() const;
    // "Start the container" unchecked: only create it.
    bool createOnly() const;
    // Splits a command line like a shell would for simple quoting ("a b" 'c d' e).
    static QStringList splitCommand(const QString& text);

private:
    QWidget* buildGeneralTab(QWidget* tabs, const QStringList& images, const QString& image);
    QWidget* buildWiringTab(QWidget* tabs, const QStringList& networks);
    QWidget* buildResourcesTab(QWidget* tabs);
    QWidget* buildMoreTab(QWidget* tabs);
    // OK (Run, or Create when "Start" is unchecked; enabled while an image is named) and Cancel.
    QDialogButtonBox* buildButtons(bool imageGiven);

    QComboBox* m_image;
    QLineEdit* m_name;
    QLineEdit* m_command;
    QLineEdit* m_entrypoint;
    QPlainTextEdit* m_env;
    QTableWidget* m_ports;    // host IP, host port, container port, protocol
    QTableWidget* m_volumes;  // source (volume name, /host/path or empty), container path, read-only
    QComboBox* m_network;
    QLineEdit* m_workdir;
    QLineEdit* m_user;
    QLineEdit* m_hostname;
    QLineEdit* m_memory;
    QLineEdit* m_cpus;
    QSpinBox* m_pids;
    QComboBox* m_restart;
    QCheckBox* m_readOnly;
    QCheckBox* m_privileged;
    QCheckBox* m_remove;
    QCheckBox* m_start;
    QSpinBox* m_restartRetries;
    QCheckBox* m_tty;
    QLineEdit* m_memorySwap;
    QSpinBox* m_cpuShares;
    QLineEdit* m_cpuset;
    QLineEdit* m_tmpfs;
    QLineEdit* m_capAdd;
    QLineEdit* m_capDrop;
    QLineEdit* m_seccomp;
    QCheckBox* m_noNewPrivileges;
    QLineEdit* m_logMaxSize;
    QSpinBox* m_logMaxFile;
    QLineEdit* m_ulimits;
    QPlainTextEdit* m_labels;
    QLineEdit* m_shmSize;
    QPlainTextEdit* m_sysctls;
};

} // namespace berth::ui
