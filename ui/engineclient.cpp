#include "engineclient.h"

#include "eventsfollower.h"
#include "statssampler.h"

namespace berth::ui {

EngineClient::EngineClient(Engine& engine, QObject* parent) : QObject(parent), m_engine(engine) {
    qRegisterMetaType<berth::ui::JobId>("berth::ui::JobId");
    // Engine calls block on disk and on the store's flock; a few workers keep a slow load
    // from holding up a list refresh, and stay cheap when idle.
    m_pool.setMaxThreadCount(4);
    m_pool.setExpiryTimeout(30000);
    m_storePath = QString::fromStdString(engine.system().storePaths().root.string());
    // From the journal's end on: history is not news.
    std::unique_ptr<EventStream> stream;
    if (auto opened = engine.system().openEvents()) stream = std::move(*opened);
    m_events = new EventsFollower(std::move(stream), this);
    m_stats = new StatsSampler(this, this);
}

EngineClient::~EngineClient() {
    cancelAll();
    m_pool.waitForDone();
}

std::thread EngineClient::startSession(std::function<void(Engine&)> work) {
    return std::thread([this, work = std::move(work)] { work(m_engine); });
}

JobId EngineClient::beginJob(const QString& title, const QString& key) {
    const JobId id = m_nextId++;
    const bool wasIdle = m_jobs.empty();
    m_jobs[id] = Job{title, key, {}};
    if (!key.isEmpty()) m_latestByKey.insert(key, id);
    emit jobStarted(id, title);
    if (wasIdle) emit busyChanged(true);
    return id;
}

std::stop_token EngineClient::tokenOf(JobId id) const {
    auto it = m_jobs.find(id);
    return it == m_jobs.end() ? std::stop_token{} : it->second.stop.get_token();
}

ProgressFn EngineClient::progressFor(JobId id) {
    QPointer<EngineClient> self(this);
    return [self, id](double fraction, const std::string& text) {
        if (!self) return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, id, fraction, text = QString::fromStdString(text)] {
                if (self && self->m_jobs.count(id)) emit self->jobProgress(id, fraction, text);
            },
            Qt::QueuedConnection);
    };
}

bool EngineClient::acceptResult(JobId id) {
    auto it = m_jobs.find(id);
    if (it == m_jobs.end()) return false;  // cancelled
    const QString key = it->second.key;
    m_jobs.erase(it);
    emit jobFinished(id);
    if (m_jobs.empty()) emit busyChanged(false);
    if (!key.isEmpty()) {
        auto latest = m_latestByKey.value(key);
        if (latest != id) return false;  // a newer job with this key is on its way
        m_latestByKey.remove(key);
    }
    return true;
}

void EngineClient::cancel(JobId id) {
    auto it = m_jobs.find(id);
    if (it == m_jobs.end()) return;
    it->second.stop.request_stop();
    m_jobs.erase(it);
    emit jobFinished(id);
    if (m_jobs.empty()) emit busyChanged(false);
}

void EngineClient::cancelAll() {
    for (auto& [id, job] : m_jobs) job.stop.request_stop();
    const bool had = !m_jobs.empty();
    m_jobs.clear();
    m_latestByKey.clear();
    if (had) emit busyChanged(false);
}

void EngineClient::waitForIdle() { m_pool.waitForDone(); }

void EngineClient::post(std::function<void()> task) {
    m_pool.start(std::move(task));
}

} // namespace berth::ui
