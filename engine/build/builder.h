#pragma once
// The builder: runs a parsed Dockerfile against a build context and commits the result to
// the image store. Stages run in order (only those the target needs); each step that
// changes files (RUN, COPY, ADD, WORKDIR creating its directory) makes a layer and an
// untagged image the next step starts from, and is cached by its parent, its text after
// substitution and the content it reads. The final image is tagged only when every step
// succeeded. RUN runs in a real container (ContainerService, through berth-monitor).
// Needs root (overlay mounts, containers).

#include "berth/builds.h"
#include "build/build_context.h"
#include "build/dockerfile.h"
#include "container/container_service.h"
#include "image/image_store.h"
#include "registry/pull.h"

#include <functional>
#include <map>
#include <stop_token>
#include <string>
#include <vector>

namespace berth::build {

// When FROM and COPY --from pull an image through the registry layer (docker build --pull).
using PullPolicy = berth::BuildPullPolicy;

struct BuildOptions {
    std::vector<std::string> tags;                  // "app:1"
    std::map<std::string, std::string> buildArgs;   // --build-arg
    std::string target;                              // --target stage name
    bool noCache = false;
    std::map<std::string, std::string> labels;       // --label, added to the final image
    PullPolicy pull = PullPolicy::Missing;
    registry::PullOptions pullOptions;               // TLS, platform, credentials for pulls
};

// One progress report; the CLI prints them like `docker build --progress=plain`.
using berth::BuildEvent;
using BuildProgress = berth::BuildEventFn;

struct BuildResult {
    image::Digest imageId;
    std::vector<std::string> tags;  // full names given to it
    int steps = 0;
    int cachedSteps = 0;
};

class Builder {
public:
    Builder(image::ImageStore& images, container::ContainerService& containers)
        : m_images(images), m_containers(containers) {}

    Result<BuildResult> build(const BuildContext& context, const BuildOptions& options,
                              const BuildProgress& progress = {}, std::stop_token stop = {});

private:
    image::ImageStore& m_images;
    container::ContainerService& m_containers;
};

// Renders events as docker's plain progress: "#5 [2/3] RUN echo hi", "#5 0.123 hi",
// "#5 DONE 0.3s", "#5 CACHED".
std::string formatPlainEvent(const BuildEvent& e);

} // namespace berth::build
