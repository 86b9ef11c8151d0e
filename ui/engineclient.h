#pragma once
// EngineClient: the GUI's one door to the engine. The engine is synchronous, so every call
// runs on a small worker pool; its result comes back to the GUI thread as a queued call.
// Each job has an id and a std::stop_source: cancel() asks the engine to stop, and a result
// that arrives after cancel(), after a newer job with the same key, or after its receiver
// died is dropped instead of painted. EngineClient also follows the store's events journal
// (EventsFollower) and owns the one stats sampler for all running containers. It knows the
// engine only as berth::Engine (berth/engine.h): a test can hand it a fake.

#include "berth/engine.h"
#include "snapshots.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <type_traits>

namespace berth::ui {

class EventsFollower;
class StatsSampler;

using JobId = quint64;
// Reports progress from a worker: fraction in 0..1 (negative = unknown) and a short text.
using ProgressFn = std::function<void(double fraction, const std::string& text)>;

class EngineClient : public QObject {
    Q_OBJECT
public:
    explicit EngineClient(Engine& engine, QObject* parent = nullptr);
    ~EngineClient() override;

    QString storePath() const { return m_storePath; }
    EventsFollower* events() const { return m_events; }
    StatsSampler* stats() const { return m_stats; }

    // Runs work(engine, stopToken, progress) on a worker. `work` returns a Result<T>; on the
    // GUI thread, onDone(T) (or onDone() for VoidResult) or onError(Error) is called unless
    // the result is stale (see above). Without onError the failure is emitted as jobFailed.
    // A non-empty key makes a newer job with the same key supersede this one.
    template <class Work, class Done>
    JobId submit(const QString& title, const QString& key, QObject* receiver, Work work,
                 Done onDone, std::function<void(const Error&)> onError = {});

    // A call that lasts as long as the user keeps it (a terminal's exec): on a thread of its
    // own, not a pool worker, and not a job (the window is not "busy" while a shell is
    // open). The caller owns the thread and must end the call before joining it.
    std::thread startSession(std::function<void(Engine&)> work);

    void cancel(JobId id);
    void cancelAll();
    int activeJobCount() const { return int(m_jobs.size()); }
    bool isJobActive(JobId id) const { return m_jobs.contains(id); }
    // Blocks until every worker is idle (tests and shutdown only).
    void waitForIdle();

signals:
    void jobStarted(berth::ui::JobId id, const QString& title);
    void jobProgress(berth::ui::JobId id, double fraction, const QString& text);
    void jobFinished(berth::ui::JobId id);
    // A job failed and its caller gave no handler: `title` names what was attempted.
    void jobFailed(berth::ui::JobId id, const QString& title, const QString& detail);
    void busyChanged(bool busy);

private:
    struct Job {
        QString title;
        QString key;
        std::stop_source stop;
    };
    JobId beginJob(const QString& title, const QString& key);
    std::stop_token tokenOf(JobId id) const;
    ProgressFn progressFor(JobId id);
    // On the GUI thread: true when the result of `id` should be delivered; forgets the job.
    bool acceptResult(JobId id);
    void post(std::function<void()> task);

    Engine& m_engine;
    QString m_storePath;
    QThreadPool m_pool;
    std::map<JobId, Job> m_jobs;        // GUI thread only
    QHash<QString, JobId> m_latestByKey;  // GUI thread only
    JobId m_nextId = 1;
    EventsFollower* m_events = nullptr;
    StatsSampler* m_stats = nullptr;
};

template <class Work, class Done>
JobId EngineClient::submit(const QString& title, const QString& key, QObject* receiver,
                           Work work, Done onDone, std::function<void(const Error&)> onError) {
    using R = std::invoke_result_t<Work&, Engine&, std::stop_token, const ProgressFn&>;
    using T = typename R::value_type;
    const JobId id = beginJob(title, key);
    auto token = tokenOf(id);
    auto progress = progressFor(id);
    QPointer<QObject> ctx(receiver ? receiver : this);
    post([this, id, title, token, progress, ctx, work = std::move(work),
          onDone = std::move(onDone), onError = std::move(onError)]() mutable {
        auto result = std::make_shared<R>(std::unexpected(Error(Errc::Internal, "no result")));
        try {
            *result = work(m_engine, token, progress);
        } catch (const std::exception& e) {
            *result = std::unexpected(Error(Errc::Internal, std::string("unexpected error: ") + e.what()));
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, title, ctx, result, onDone = std::move(onDone),
             onError = std::move(onError)]() mutable {
                if (!acceptResult(id) || !ctx) return;
                if (*result) {
                    if constexpr (std::is_void_v<T>)
                        onDone();
                    else
                        onDone(std::move(**result));
                } else if (onError) {
                    onError(result->error());
                } else {
                    emit jobFailed(id, title, QString::fromStdString(result->error().message()));
                }
            },
            Qt::QueuedConnection);
    });
    return id;
}

} // namespace berth::ui
