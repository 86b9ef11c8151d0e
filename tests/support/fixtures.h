#pragma once
// Image fixtures every test may use: a busybox root file system made from Debian's
// /bin/busybox (busybox-static), tar writers (libarchive, in memory), and docker-archive
// images built from them: one layer, or three layers where layer 2 deletes a file
// (whiteout) and layer 3 makes a directory opaque.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace berth::test {

// One entry of a tar built in memory.
struct TarEntry {
    enum Type { File, Dir, Symlink, Hardlink, CharDev, Fifo, BlockDev } type = File;
    std::string path;
    std::string data;    // File contents
    std::string target;  // Symlink / Hardlink target
    unsigned mode = 0644;
    unsigned uid = 0, gid = 0;
    unsigned devMajor = 0, devMinor = 0;
    // Declared size when it should differ from data.size() (for truncated archives).
    long long declaredSize = -1;
    std::vector<std::pair<std::string, std::string>> xattrs;  // name, value (PAX SCHILY.xattr)
};

enum class TarCompression { None, Gzip, Zstd };

std::string makeTar(const std::vector<TarEntry>& entries, TarCompression c = TarCompression::None);
// Every file, directory and symlink below `dir`, as entries named relative to it (sorted).
std::vector<TarEntry> entriesOfDir(const std::filesystem::path& dir);
void writeFile(const std::filesystem::path& path, const std::string& data);
std::string readFileText(const std::filesystem::path& path);
std::string sha256Hex(const std::string& data);

// A busybox root file system in `dir` (created): /bin/busybox and its applet symlinks,
// /etc/passwd (root, nobody), /etc/group, /tmp (1777), /root, /var/www/index.html, and
// empty /proc /sys /dev. Fails the test (QFAIL-style abort) when /bin/busybox is missing.
void makeBusyboxRootfs(const std::filesystem::path& dir);
bool haveBusybox();

struct FixtureImage {
    std::filesystem::path archive;
    std::string configDigest;           // "sha256:…" = image id
    std::vector<std::string> diffIds;   // "sha256:…", bottom first
    std::vector<std::string> layerTars; // uncompressed layer tars, bottom first
};

enum class ArchiveLayout {
    Legacy,  // <id>/layer.tar, <hex>.json, manifest.json, repositories (docker < 25)
    Blobs,   // blobs/sha256/<hex> + manifest.json (docker >= 25)
};

struct ArchiveOptions {
    ArchiveLayout layout = ArchiveLayout::Legacy;
    TarCompression outer = TarCompression::None;  // compression of the whole archive
    TarCompression layers = TarCompression::None; // compression of each layer file
    std::vector<std::string> tags{"busybox:latest"};
};

// A docker-archive of the given layer tars (uncompressed), with a config carrying
// Env PATH, Cmd ["/bin/sh"], a label and an exposed port.
FixtureImage writeDockerArchive(const std::filesystem::path& out, const std::vector<std::string>& layerTars,
                                const ArchiveOptions& options = {});

// (a) busybox in one layer.
FixtureImage writeBusyboxArchive(const std::filesystem::path& out, const ArchiveOptions& options = {});
// (b) three layers: 1 = busybox + /etc/motd + /data/{keep,old}.txt; 2 = whiteout of
// /etc/motd plus /etc/layer2; 3 = /data made opaque with /data/new.txt.
FixtureImage writeLayeredArchive(const std::filesystem::path& out, const ArchiveOptions& options = {});

// (c) busybox imported into the store at `root` with `berth import`; returns the id
// ("sha256:…") or an empty string (after a failed QVERIFY-style message) on failure.
std::string importBusybox(const std::filesystem::path& root, const std::string& name = "busybox:latest");

} // namespace berth::test
