// berth::Builds over the builder: opens the context (folder, archive, git), runs the build.
#include "engine_impl.h"

#include "build/build_context.h"
#include "build/builder.h"
#include "build/git_source.h"
#include "image/image_commit.h"

#include <chrono>

namespace berth {

std::string formatPlainBuildEvent(const BuildEvent& e) { return build::formatPlainEvent(e); }

} // namespace berth

namespace berth::api {

Result<BuildResult> BuildsApi::build(const BuildRequest& request, const BuildEventFn& progress, std::stop_token stop) {
    build::BuildOptions options;
    options.tags = request.tags;
    options.buildArgs = request.buildArgs;
    options.target = request.target;
    options.noCache = request.noCache;
    options.labels = request.labels;
    options.pull = request.pull;
    if (!request.platform.empty()) options.pullOptions.platform = BERTH_TRY(registry::Platform::parse(request.platform));
    options.pullOptions.tlsVerify = request.registry.tlsVerify;
    options.pullOptions.certDir = request.registry.certDir;
    options.pullOptions.credentials = request.registry.credentials;
    options.pullOptions.credentialsByRegistry = request.registry.credentialsByRegistry;

    build::ContextRequest req;
    req.source = request.context;
    req.dockerfile = request.dockerfile;
    req.stdinFd = request.stdinFd;
    req.scratchDir = m_s.layout().tmp();
    req.stop = stop;
    // A git source is fetched first: its lines are vertex 0, like BuildKit's internal steps.
    auto started = std::chrono::steady_clock::now();
    if (progress)
        req.progress = [&progress, started](const std::string& line) {
            double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress(BuildEvent{BuildEvent::Kind::Output, 0, "", line, t});
        };
    auto context = BERTH_TRY(build::BuildContext::open(req));
    build::Builder builder(m_s.images(), m_s.containers());
    auto r = BERTH_TRY(builder.build(context, options, progress, stop));
    BuildResult out{r.imageId.str(), {}, r.steps, r.cachedSteps};
    for (auto& t : r.tags) out.tags.push_back(image::familiarName(t));
    return out;
}

Result<std::vector<GitRef>> BuildsApi::listGitRefs(std::string_view url, std::stop_token stop) {
    return build::listGitRefs(url, stop);
}

} // namespace berth::api
