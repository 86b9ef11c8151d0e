#pragma once
// The engine behind the front door: berth::Engine's areas implemented over the services
// of one store (engine_services.h). Each area is a thin class that turns the public
// requests into service calls and composes what one service alone cannot answer (a
// container's inspect with its network settings, its list row with live ports). Private
// to engine/api.

#include "engine_services.h"

#include "berth/engine.h"

namespace berth::api {

class ContainersApi final : public Containers {
public:
    explicit ContainersApi(EngineServices& s) : m_s(s) {}
    Result<CreatedContainer> create(const RunRequest& request) override;
    VoidResult start(std::string_view ref) override;
    Result<int> startAttached(std::string_view ref, const AttachIo& io) override;
    Result<int> attach(std::string_view ref, const AttachIo& io) override;
    VoidResult stop(std::string_view ref, int timeoutSeconds) override;
    VoidResult restart(std::string_view ref, int timeoutSeconds) override;
    VoidResult kill(std::string_view ref, int signal) override;
    VoidResult pause(std::string_view ref) override;
    VoidResult unpause(std::string_view ref) override;
    VoidResult remove(std::string_view ref, bool force, bool volumes) override;
    VoidResult rename(std::string_view ref, std::string_view newName) override;
    VoidResult update(std::string_view ref, const ContainerUpdate& update) override;
    Result<std::vector<FileChange>> diff(std::string_view ref) override;
    VoidResult exportFileSystem(std::string_view ref, int outFd) override;
    Result<std::string> commit(std::string_view ref, const CommitRequest& request) override;
    Result<std::vector<ContainerSummary>> list(bool all) override;
    Result<ContainerDetails> inspect(std::string_view ref) override;
    VoidResult logs(std::string_view ref, const LogsOptions& options,
                    const std::function<bool(const LogLine&)>& onLine, std::stop_token stop) override;
    Result<std::unique_ptr<LogFile>> openLog(std::string_view ref) override;
    Result<int> wait(std::string_view ref, std::stop_token stop) override;
    Result<TopResult> top(std::string_view ref) override;
    Result<std::vector<ContainerStats>> stats(const std::vector<std::string>& refs) override;
    Result<int> exec(std::string_view ref, const ExecRequest& request, const AttachIo& io) override;
    Result<std::vector<PortBinding>> ports(std::string_view ref) override;
    Result<ContainerPruneReport> prune() override;
    Result<ContainerDiskUsage> diskUsage() override;
    Result<ContainerPathStat> statPath(std::string_view ref, std::string_view path) override;  // container_copy_api.cpp
    VoidResult copyFrom(std::string_view ref, std::string_view path, int outFd) override;
    VoidResult copyTo(std::string_view ref, std::string_view dir, int inFd, const CopyInOptions& options) override;

private:
    Result<std::vector<std::string>> checkNetworkRequest(RunRequest& request);
    std::vector<PortBinding> livePorts(const std::string& id, const std::vector<PortBinding>& asked);
    EngineServices& m_s;
};

class ImagesApi final : public Images {
public:
    explicit ImagesApi(EngineServices& s) : m_s(s) {}
    Result<std::vector<ImageSummary>> list(bool all) override;
    Result<ImageSummary> resolve(std::string_view nameOrId) override;
    Result<ImageDetails> inspect(std::string_view nameOrId) override;
    Result<std::vector<ImageHistoryRow>> history(std::string_view nameOrId) override;
    Result<ImageFileNode> fileTree(std::string_view nameOrId, std::stop_token stop) override;
    Result<PullResult> pull(const PullRequest& request, const PullProgressFn& progress, std::stop_token stop) override;
    Result<PushResult> push(const PushRequest& request, const PushProgressFn& progress, std::stop_token stop) override;
    Result<std::vector<LoadedImage>> load(const std::filesystem::path& archive, const MessageFn& progress,
                                          std::stop_token stop) override;
    VoidResult save(const std::vector<std::string>& refs, const std::filesystem::path& out,
                    const MessageFn& progress) override;
    Result<std::string> importRootfs(const std::filesystem::path& tarball, std::string_view reference,
                                     const std::string& message) override;
    VoidResult tag(std::string_view source, std::string_view target) override;
    Result<ImageRemoveReport> remove(std::string_view reference, bool force) override;
    Result<ImagePruneReport> prune(bool all) override;
    Result<ImageDiskUsage> diskUsage() override;

private:
    EngineServices& m_s;
};

class BuildsApi final : public Builds {
public:
    explicit BuildsApi(EngineServices& s) : m_s(s) {}
    Result<BuildResult> build(const BuildRequest& request, const BuildEventFn& progress, std::stop_token stop) override;
    Result<std::vector<GitRef>> listGitRefs(std::string_view url, std::stop_token stop) override;

private:
    EngineServices& m_s;
};

class NetworksApi final : public Networks {
public:
    explicit NetworksApi(EngineServices& s) : m_s(s) {}
    Result<NetworkInfo> create(const CreateNetworkOptions& options) override;
    Result<std::vector<NetworkInfo>> list() override;
    Result<NetworkDetails> inspect(std::string_view ref) override;
    VoidResult remove(std::string_view ref) override;
    VoidResult connect(std::string_view network, std::string_view container, const ConnectOptions& options) override;
    VoidResult disconnect(std::string_view network, std::string_view container, bool force) override;
    Result<NetworkPruneReport> prune() override;
    VoidResult releaseContainer(std::string_view containerId, bool namespaceGone) override;

private:
    EngineServices& m_s;
};

class VolumesApi final : public Volumes {
public:
    explicit VolumesApi(EngineServices& s) : m_s(s) {}
    Result<Volume> create(const VolumeCreateRequest& request) override;
    Result<std::vector<VolumeSummary>> list() override;
    Result<VolumeDetails> inspect(std::string_view name) override;
    Result<uint64_t> size(std::string_view name) override;
    VoidResult remove(std::string_view name, bool force) override;
    Result<VolumePruneReport> prune(bool all) override;

private:
    EngineServices& m_s;
};

class SystemApi final : public System {
public:
    explicit SystemApi(EngineServices& s) : m_s(s) {}
    Result<std::unique_ptr<EventStream>> openEvents(bool fromStart) override;
    VoidResult followEvents(const EventFilter& filter, const std::function<bool(const Event&)>& onEvent,
                            std::stop_token stop) override;
    Result<SystemDiskUsage> diskUsage() override;
    Result<StoreCheckReport> check(bool repair) override;
    SystemInfo info() override;
    StorePaths storePaths() override { return {m_s.layout().root, m_s.layout().runRoot}; }
    VoidResult login(const LoginRequest& request) override;
    VoidResult logout(std::string_view server) override;

private:
    EngineServices& m_s;
};

class EngineImpl final : public Engine {
public:
    explicit EngineImpl(std::unique_ptr<EngineServices> services)
        : m_services(std::move(services)), m_containers(*m_services), m_images(*m_services),
          m_builds(*m_services), m_networks(*m_services), m_volumes(*m_services), m_system(*m_services) {}
    Containers& containers() override { return m_containers; }
    Images& images() override { return m_images; }
    Builds& builds() override { return m_builds; }
    Networks& networks() override { return m_networks; }
    Volumes& volumes() override { return m_volumes; }
    System& system() override { return m_system; }

private:
    std::unique_ptr<EngineServices> m_services;
    ContainersApi m_containers;
    ImagesApi m_images;
    BuildsApi m_builds;
    NetworksApi m_networks;
    VolumesApi m_volumes;
    SystemApi m_system;
};

} // namespace berth::api
