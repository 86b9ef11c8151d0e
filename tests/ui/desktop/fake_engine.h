#pragma once
// A berth::Engine with no store behind it, for page tests without root: containers,
// images, networks and volumes are lists the test fills; what the window asks of it is
// recorded (calls()) so a test can check that a click reached the engine. Anything a test
// did not prepare fails with Errc::Unsupported, as a real engine's error would.

#include "berth/engine.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace berth::test {

class FakeEngine final : public Engine {
public:
    FakeEngine();
    ~FakeEngine() override;

    Containers& containers() override;
    Images& images() override;
    Builds& builds() override;
    Networks& networks() override;
    Volumes& volumes() override;
    System& system() override;

    // What the fake holds (set before the window asks; guarded for the worker threads).
    void setContainers(std::vector<ContainerSummary> rows);
    void setImages(std::vector<ImageSummary> rows);
    void setNetworks(std::vector<NetworkInfo> rows);
    void setVolumes(std::vector<VolumeSummary> rows);
    void setImageDiskUsage(ImageDiskUsage usage);
    // "stop <id>", "start <id>", "create <image>"...: the calls that change something.
    std::vector<std::string> calls() const;

    struct State;
    struct Parts;

private:
    std::unique_ptr<State> m_state;
    std::unique_ptr<Parts> m_parts;
};

} // namespace berth::test
