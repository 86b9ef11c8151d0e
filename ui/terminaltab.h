#pragma once
// TerminalTab: the Containers page's Terminal tab. A shell (`/bin/sh` unless the user picks
// another command) in the selected running container, started when the tab is first shown
// for it; each container keeps its own session while the window is open, so several run at
// once and selecting a container again shows its shell as it was. A session ends when its
// shell exits, when the user presses End, when the container stops or is removed, or when
// the window closes; its last screen stays readable until Restart.

#include <QHash>
#include <QSet>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace berth::ui {

class EngineClient;
class TerminalScreen;
class TerminalSession;
class TerminalView;

class TerminalTab : public QWidget {
    Q_OBJECT
public:
    TerminalTab(EngineClient* client, QWidget* parent = nullptr);
    ~TerminalTab() override;

    // The selected container (empty: none) and whether it runs.
    void showContainer(const QString& id, const QString& name, bool running);
    // Sessions of containers not in `running` end; those not in `listed` are dropped.
    void keepSessionsOf(const QSet<QString>& running, const QSet<QString>& listed);
    // Starts the command in the combo box in the shown container (ends its old session).
    void startShell();
    void endShell();

    TerminalSession* session(const QString& id) const;
    TerminalScreen* screen(const QString& id) const;
    TerminalView* view(const QString& id) const;
    QString statusText() const;

protected:
    void showEvent(QShowEvent* e) override;

private:
    struct Entry;
    void updateBar();
    void dropEntry(const QString& id);

    EngineClient* m_client;
    QString m_id, m_name;
    bool m_running = false;
    QHash<QString, Entry*> m_entries;
    QLabel* m_status;
    QComboBox* m_command;
    QPushButton* m_start;
    QPushButton* m_end;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
};

} // namespace berth::ui
