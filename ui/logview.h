#pragma once
// LogView: a container's log: a virtual list (LogModel + LogDelegate) that follows new
// lines until the user scrolls up and resumes when they scroll back to the end; search with
// highlight (plain or regular expression), timestamps toggle, and save to a file.

#include "berth/containers.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QToolButton;

namespace berth::ui {

class LogDelegate;
class LogModel;
class LogSearch;

class LogView : public QWidget {
    Q_OBJECT
public:
    explicit LogView(QWidget* parent = nullptr);

    // Shows a container's log (Containers::openLog); null clears it.
    void setLog(std::shared_ptr<LogFile> log);
    LogModel* model() const { return m_model; }
    QListView* listView() const { return m_list; }
    bool isFollowing() const { return m_follow; }
    void setFollowing(bool on);
    // A line over the log about how the container ended (an OOM kill); empty hides it.
    void setNote(const QString& text);
    QString note() const;

signals:
    void followingChanged(bool on);

private:
    void onRowsInserted();
    void onUserScrolled();
    void search(bool forward);
    void updateHighlight();
    void save();

    LogModel* m_model;
    LogDelegate* m_delegate;
    LogSearch* m_search;
    QListView* m_list;
    QLabel* m_note;
    QToolButton* m_followButton;
    QToolButton* m_timestampsButton;
    QLineEdit* m_searchEdit;
    QCheckBox* m_regex;
    QLabel* m_status;
    bool m_follow = true;
};

} // namespace berth::ui
