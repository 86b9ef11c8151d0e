#include "fake_engine.h"

#include <sys/eventfd.h>
#include <unistd.h>

namespace berth::test {

namespace {

std::unexpected<Error> unsupported(const char* what) {
    return std::unexpected(Error(Errc::Unsupported, std::string("the fake engine has no ") + what));
}

} // namespace

struct FakeEngine::State {
    mutable std::mutex mutex;
    std::vector<ContainerSummary> containers;
    std::vector<ImageSummary> images;
    std::vector<NetworkInfo> networks;
    std::vector<VolumeSummary> volumes;
    ImageDiskUsage imageDiskUsage;
    std::vector<std::string> calls;

    void record(std::string call) {
        std::lock_guard lock(mutex);
        calls.push_back(std::move(call));
    }
    ContainerSummary* find(std::string_view ref) {
        for (auto& c : containers)
            if (c.id == ref || c.name == ref || (ref.size() >= 4 && c.id.starts_with(ref))) return &c;
        return nullptr;
    }
};

namespace {

class FakeContainers final : public Containers {
public:
    explicit FakeContainers(FakeEngine::State& s) : m_s(s) {}
    Result<CreatedContainer> create(const RunRequest& r) override {
        m_s.record("create " + r.image);
        return CreatedContainer{std::string(64, 'f'), {}};
    }
    VoidResult start(std::string_view ref) override { return set(ref, "start", ContainerStatus::Running); }
    Result<int> startAttached(std::string_view, const AttachIo&) override { return unsupported("attached start"); }
    Result<int> attach(std::string_view, const AttachIo&) override { return unsupported("attach"); }
    VoidResult stop(std::string_view ref, int) override { return set(ref, "stop", ContainerStatus::Exited); }
    VoidResult restart(std::string_view ref, int) override { return set(ref, "restart", ContainerStatus::Running); }
    VoidResult kill(std::string_view ref, int) override { return set(ref, "kill", ContainerStatus::Exited); }
    VoidResult pause(std::string_view ref) override { return set(ref, "pause", ContainerStatus::Paused); }
    VoidResult unpause(std::string_view ref) override { return set(ref, "unpause", ContainerStatus::Running); }
    VoidResult remove(std::string_view ref, bool, bool) override {
        std::lock_guard lock(m_s.mutex);
        std::erase_if(m_s.containers, [&](const ContainerSummary& c) { return c.id == ref || c.name == ref; });
        m_s.calls.push_back("remove " + std::string(ref));
        return {};
    }
    VoidResult rename(std::string_view, std::string_view) override { return unsupported("rename"); }
    VoidResult update(std::string_view, const ContainerUpdate&) override { return unsupported("update"); }
    Result<std::vector<FileChange>> diff(std::string_view) override { return unsupported("diff"); }
    VoidResult exportFileSystem(std::string_view, int) override { return unsupported("export"); }
    Result<std::string> commit(std::string_view, const CommitRequest&) override { return unsupported("commit"); }
    Result<std::vector<ContainerSummary>> list(bool) override {
        std::lock_guard lock(m_s.mutex);
        return m_s.containers;
    }
    Result<ContainerDetails> inspect(std::string_view ref) override {
        std::lock_guard lock(m_s.mutex);
        auto* c = m_s.find(ref);
        if (!c) return std::unexpected(Error(Errc::NotFound, "No such container: " + std::string(ref)));
        ContainerDetails d;
        d.summary = *c;
        d.json = R"({"Id":")" + c->id + R"(","Name":"/)" + c->name + R"("})";
        return d;
    }
    VoidResult logs(std::string_view, const LogsOptions&, const std::function<bool(const LogLine&)>&,
                    std::stop_token) override {
        return unsupported("logs");
    }
    Result<std::unique_ptr<LogFile>> openLog(std::string_view) override { return unsupported("logs"); }
    Result<int> wait(std::string_view, std::stop_token) override { return unsupported("wait"); }
    Result<TopResult> top(std::string_view) override { return TopResult{{"PID", "CMD"}, {{"1", "sleep 600"}}}; }
    Result<std::vector<ContainerStats>> stats(const std::vector<std::string>&) override {
        return std::vector<ContainerStats>{};
    }
    Result<int> exec(std::string_view, const ExecRequest&, const AttachIo&) override { return unsupported("exec"); }
    Result<std::vector<PortBinding>> ports(std::string_view) override { return std::vector<PortBinding>{}; }
    Result<ContainerPruneReport> prune() override { return unsupported("prune"); }
    Result<ContainerDiskUsage> diskUsage() override { return ContainerDiskUsage{}; }
    Result<ContainerPathStat> statPath(std::string_view, std::string_view) override { return unsupported("cp"); }
    VoidResult copyFrom(std::string_view, std::string_view, int) override { return unsupported("cp"); }
    VoidResult copyTo(std::string_view, std::string_view, int, const CopyInOptions&) override {
        return unsupported("cp");
    }

private:
    VoidResult set(std::string_view ref, const char* verb, ContainerStatus to) {
        std::lock_guard lock(m_s.mutex);
        auto* c = m_s.find(ref);
        if (!c) return std::unexpected(Error(Errc::NotFound, "No such container: " + std::string(ref)));
        c->state = to;
        m_s.calls.push_back(std::string(verb) + " " + c->id);
        return {};
    }
    FakeEngine::State& m_s;
};

class FakeImages final : public Images {
public:
    explicit FakeImages(FakeEngine::State& s) : m_s(s) {}
    Result<std::vector<ImageSummary>> list(bool) override {
        std::lock_guard lock(m_s.mutex);
        return m_s.images;
    }
    Result<ImageSummary> resolve(std::string_view ref) override {
        std::lock_guard lock(m_s.mutex);
        for (auto& i : m_s.images)
            for (auto& t : i.repoTags)
                if (t == ref || i.id == ref) return i;
        return std::unexpected(Error(Errc::NotFound, "No such image: " + std::string(ref)));
    }
    Result<ImageDetails> inspect(std::string_view ref) override {
        auto s = BERTH_TRY(resolve(ref));
        ImageDetails d;
        d.summary = s;
        d.json = R"({"Id":")" + s.id + R"("})";
        return d;
    }
    Result<std::vector<ImageHistoryRow>> history(std::string_view) override { return std::vector<ImageHistoryRow>{}; }
    Result<ImageFileNode> fileTree(std::string_view, std::stop_token) override { return ImageFileNode{.name = "/"}; }
    Result<PullResult> pull(const PullRequest&, const PullProgressFn&, std::stop_token) override { return unsupported("registry"); }
    Result<PushResult> push(const PushRequest&, const PushProgressFn&, std::stop_token) override { return unsupported("registry"); }
    Result<std::vector<LoadedImage>> load(const std::filesystem::path&, const MessageFn&, std::stop_token) override {
        return unsupported("archives");
    }
    VoidResult save(const std::vector<std::string>&, const std::filesystem::path&, const MessageFn&) override {
        return unsupported("archives");
    }
    Result<std::string> importRootfs(const std::filesystem::path&, std::string_view, const std::string&) override {
        return unsupported("archives");
    }
    VoidResult tag(std::string_view s, std::string_view t) override {
        m_s.record("tag " + std::string(s) + " " + std::string(t));
        return {};
    }
    Result<ImageRemoveReport> remove(std::string_view r, bool) override {
        m_s.record("rmi " + std::string(r));
        return ImageRemoveReport{};
    }
    Result<ImagePruneReport> prune(bool) override { return ImagePruneReport{}; }
    Result<ImageDiskUsage> diskUsage() override {
        std::lock_guard lock(m_s.mutex);
        return m_s.imageDiskUsage;
    }

private:
    FakeEngine::State& m_s;
};

class FakeBuilds final : public Builds {
public:
    Result<BuildResult> build(const BuildRequest&, const BuildEventFn&, std::stop_token) override { return unsupported("builds"); }
    Result<std::vector<GitRef>> listGitRefs(std::string_view, std::stop_token) override { return unsupported("git"); }
};

class FakeNetworks final : public Networks {
public:
    explicit FakeNetworks(FakeEngine::State& s) : m_s(s) {}
    Result<NetworkInfo> create(const CreateNetworkOptions& o) override {
        std::lock_guard lock(m_s.mutex);
        NetworkInfo n;
        n.name = o.name;
        n.id = std::string(64, 'a');
        n.driver = "bridge";
        n.subnet = o.subnet;
        m_s.networks.push_back(n);
        m_s.calls.push_back("network create " + o.name);
        return n;
    }
    Result<std::vector<NetworkInfo>> list() override {
        std::lock_guard lock(m_s.mutex);
        return m_s.networks;
    }
    Result<NetworkDetails> inspect(std::string_view ref) override {
        std::lock_guard lock(m_s.mutex);
        for (auto& n : m_s.networks)
            if (n.name == ref || n.id == ref) return NetworkDetails{n, R"({"Name":")" + n.name + R"("})"};
        return std::unexpected(Error(Errc::NotFound, "network " + std::string(ref) + " not found"));
    }
    VoidResult remove(std::string_view ref) override {
        std::lock_guard lock(m_s.mutex);
        std::erase_if(m_s.networks, [&](const NetworkInfo& n) { return n.name == ref; });
        m_s.calls.push_back("network rm " + std::string(ref));
        return {};
    }
    VoidResult connect(std::string_view, std::string_view, const ConnectOptions&) override { return unsupported("connect"); }
    VoidResult disconnect(std::string_view, std::string_view, bool) override { return unsupported("disconnect"); }
    Result<NetworkPruneReport> prune() override { return NetworkPruneReport{}; }
    VoidResult releaseContainer(std::string_view, bool) override { return {}; }

private:
    FakeEngine::State& m_s;
};

class FakeVolumes final : public Volumes {
public:
    explicit FakeVolumes(FakeEngine::State& s) : m_s(s) {}
    Result<Volume> create(const VolumeCreateRequest& r) override {
        std::lock_guard lock(m_s.mutex);
        Volume v;
        v.name = r.name;
        v.labels = r.labels;
        m_s.volumes.push_back({v, {}});
        m_s.calls.push_back("volume create " + r.name);
        return v;
    }
    Result<std::vector<VolumeSummary>> list() override {
        std::lock_guard lock(m_s.mutex);
        return m_s.volumes;
    }
    Result<VolumeDetails> inspect(std::string_view name) override {
        std::lock_guard lock(m_s.mutex);
        for (auto& v : m_s.volumes)
            if (v.volume.name == name) return VolumeDetails{v, R"({"Name":")" + v.volume.name + R"("})"};
        return std::unexpected(Error(Errc::NotFound, "no such volume: " + std::string(name)));
    }
    Result<uint64_t> size(std::string_view) override { return uint64_t(0); }
    VoidResult remove(std::string_view name, bool) override {
        std::lock_guard lock(m_s.mutex);
        for (auto& v : m_s.volumes)
            if (v.volume.name == name && !v.usedBy.empty())
                return std::unexpected(Error(Errc::Conflict, "volume is in use"));
        std::erase_if(m_s.volumes, [&](const VolumeSummary& v) { return v.volume.name == name; });
        m_s.calls.push_back("volume rm " + std::string(name));
        return {};
    }
    Result<VolumePruneReport> prune(bool) override { return VolumePruneReport{}; }

private:
    FakeEngine::State& m_s;
};

// An events journal where nothing ever happens: its fd never becomes readable.
class QuietEvents final : public EventStream {
public:
    QuietEvents() : m_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
    ~QuietEvents() override {
        if (m_fd >= 0) ::close(m_fd);
    }
    Result<std::vector<Event>> read() override { return std::vector<Event>{}; }
    int fd() const override { return m_fd; }
    void drainChanges() override {}

private:
    int m_fd;
};

class FakeSystem final : public System {
public:
    Result<std::unique_ptr<EventStream>> openEvents(bool) override {
        return std::unique_ptr<EventStream>(std::make_unique<QuietEvents>());
    }
    VoidResult followEvents(const EventFilter&, const std::function<bool(const Event&)>&, std::stop_token) override {
        return {};
    }
    Result<SystemDiskUsage> diskUsage() override { return SystemDiskUsage{}; }
    Result<StoreCheckReport> check(bool) override { return StoreCheckReport{}; }
    SystemInfo info() override { return SystemInfo{"/fake/store", "/fake/run", {}}; }
    StorePaths storePaths() override { return {"/fake/store", "/fake/run"}; }
    VoidResult login(const LoginRequest&) override { return unsupported("registry"); }
    VoidResult logout(std::string_view) override { return unsupported("registry"); }
};

} // namespace

struct FakeEngine::Parts {
    explicit Parts(State& s) : containers(s), images(s), networks(s), volumes(s) {}
    FakeContainers containers;
    FakeImages images;
    FakeBuilds builds;
    FakeNetworks networks;
    FakeVolumes volumes;
    FakeSystem system;
};

FakeEngine::FakeEngine() : m_state(std::make_unique<State>()), m_parts(std::make_unique<Parts>(*m_state)) {}
FakeEngine::~FakeEngine() = default;

Containers& FakeEngine::containers() { return m_parts->containers; }
Images& FakeEngine::images() { return m_parts->images; }
Builds& FakeEngine::builds() { return m_parts->builds; }
Networks& FakeEngine::networks() { return m_parts->networks; }
Volumes& FakeEngine::volumes() { return m_parts->volumes; }
System& FakeEngine::system() { return m_parts->system; }

void FakeEngine::setContainers(std::vector<ContainerSummary> rows) {
    std::lock_guard lock(m_state->mutex);
    m_state->containers = std::move(rows);
}
void FakeEngine::setImageDiskUsage(ImageDiskUsage usage) {
    std::lock_guard lock(m_state->mutex);
    m_state->imageDiskUsage = usage;
}

void FakeEngine::setImages(std::vector<ImageSummary> rows) {
    std::lock_guard lock(m_state->mutex);
    m_state->images = std::move(rows);
}
void FakeEngine::setNetworks(std::vector<NetworkInfo> rows) {
    std::lock_guard lock(m_state->mutex);
    m_state->networks = std::move(rows);
}
void FakeEngine::setVolumes(std::vector<VolumeSummary> rows) {
    std::lock_guard lock(m_state->mutex);
    m_state->volumes = std::move(rows);
}
std::vector<std::string> FakeEngine::calls() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->calls;
}

} // namespace berth::test
