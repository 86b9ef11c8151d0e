#pragma once
// The parts of an OCI/Docker image configuration the engine acts on.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace berth::image {

struct HistoryEntry {
    std::string created;
    std::string createdBy;
    std::string comment;
    bool emptyLayer = false;
};

struct ImageConfig {
    std::string architecture;  // "amd64"
    std::string os;            // "linux"
    std::string created;       // RFC 3339
    std::string author;
    std::vector<std::string> env;  // "K=V"
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::string workingDir;
    std::string user;
    std::string stopSignal;
    std::vector<std::string> exposedPorts;  // "80/tcp"
    std::vector<std::string> volumes;
    std::map<std::string, std::string> labels;
    std::vector<std::string> diffIds;  // "sha256:…", bottom layer first
    std::vector<HistoryEntry> history;
};

} // namespace berth::image
