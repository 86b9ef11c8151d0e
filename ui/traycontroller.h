#pragma once
// TrayController: the tray icon with the running count in its tooltip and badge, a menu to
// show the window or quit, and desktop notifications when a container dies with a non-zero
// code or is killed for lack of memory.

#include <QObject>

class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace berth::ui {

class TrayController : public QObject {
    Q_OBJECT
public:
    explicit TrayController(QWidget* window);
    ~TrayController() override;

    bool isAvailable() const;
    void setRunningCount(int running);
    // After a language switch: the tool tip again in the new language.
    void retranslate();
    void notifyDied(const QString& name, int exitCode);
    void notifyOom(const QString& name);
    int runningCount() const { return m_running; }
    QString lastMessage() const { return m_lastMessage; }

signals:
    void showRequested();
    void quitRequested();

private:
    void notify(const QString& title, const QString& text);

    QWidget* m_window;
    QSystemTrayIcon* m_tray = nullptr;
    QMenu* m_menu = nullptr;
    int m_running = -1;
    QString m_lastMessage;
};

} // namespace berth::ui
