#pragma once
// Builds: images from a Dockerfile and a build context (a folder, a tar archive, or a git
// repository: URL or path with #ref:subdir). Reached through berth::Engine::builds().
// Progress arrives as BuildEvents (docker's plain progress: steps, their output, CACHED,
// DONE); the std::stop_token cancels a build wherever it is (a running RUN is killed and
// removed, nothing is tagged: Errc::Cancelled).

#include "berth/error.h"
#include "berth/images.h"

#include <functional>
#include <map>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// When FROM and COPY --from pull an image (docker build --pull).
enum class BuildPullPolicy {
    Missing,  // only an image the store lacks (default)
    Always,   // every base again
    Never,    // a missing image is an error
};

struct BuildRequest {
    std::string context;     // folder, archive file, git source, or "-" (an archive on stdinFd)
    std::string dockerfile;  // -f: "" = <context>/Dockerfile; "-" = read from stdinFd
    int stdinFd = 0;
    std::vector<std::string> tags;                 // "app:1"
    std::map<std::string, std::string> buildArgs;  // --build-arg
    std::string target;                            // --target stage name
    bool noCache = false;
    std::map<std::string, std::string> labels;     // --label, added to the final image
    BuildPullPolicy pull = BuildPullPolicy::Missing;
    std::string platform;                          // of pulled bases; "" = this host's
    RegistryOptions registry;                      // TLS and credentials for those pulls
};

struct BuildEvent {
    enum class Kind { StepStarted, Output, Cached, StepDone, StepFailed, Warning };
    Kind kind = Kind::StepStarted;
    int vertex = 0;        // #N, numbered in the order steps start (0: fetching the context)
    std::string name;      // "[build 2/4] RUN make" (StepStarted)
    std::string text;      // an output line (Output), the error (StepFailed), a warning
    double seconds = 0;    // since the step started (Output, StepDone, StepFailed)
    int exitCode = 0;      // StepFailed of a RUN whose command exited non-zero: its status
};
using BuildEventFn = std::function<void(const BuildEvent&)>;
// docker's plain progress for one event: "#5 [2/3] RUN echo hi\n", "#5 0.123 hi\n", "#5 DONE 0.3s\n".
std::string formatPlainBuildEvent(const BuildEvent& e);

struct BuildResult {
    std::string imageId;            // "sha256:…"
    std::vector<std::string> tags;  // familiar names given to it ("app:1")
    int steps = 0;
    int cachedSteps = 0;
};

struct GitRef {
    enum class Kind { Branch, Tag, Other };
    Kind kind = Kind::Other;
    std::string name;      // "main", "v1.0" (short); the full name for Other
    std::string fullName;  // "refs/heads/main"
    std::string commit;    // hex of what the ref points at
    bool isHead = false;   // the remote's default branch
};

class Builds {
public:
    virtual ~Builds() = default;
    // Fetching a git context reports as vertex-0 Output events. Needs root (overlay
    // mounts, RUN containers).
    virtual Result<BuildResult> build(const BuildRequest& request, const BuildEventFn& progress = {},
                                      std::stop_token stop = {}) = 0;
    // The branches and tags of a git repository (for a picker).
    virtual Result<std::vector<GitRef>> listGitRefs(std::string_view url, std::stop_token stop = {}) = 0;
};

} // namespace berth
