#include "fixtures.h"

#include "test_support.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace berth::test {

namespace fs = std::filesystem;
using nlohmann::json;

std::string sha256Hex(const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

void writeFile(const fs::path& path, const std::string& data) {
    fs::create_directories(path.parent_path());
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << data;
    if (!f) qFatal("write %s failed", path.c_str());
}

std::string readFileText(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

static la_ssize_t appendToString(archive*, void* client, const void* buf, size_t len) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buf), len);
    return la_ssize_t(len);
}

std::string makeTar(const std::vector<TarEntry>& entries, TarCompression c) {
    std::string out;
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (c == TarCompression::Gzip) archive_write_add_filter_gzip(a);
    if (c == TarCompression::Zstd) archive_write_add_filter_zstd(a);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(a, &out, nullptr, appendToString, nullptr);
    for (auto& e : entries) {
        archive_entry* ae = archive_entry_new();
        archive_entry_set_pathname(ae, e.path.c_str());
        archive_entry_set_uid(ae, e.uid);
        archive_entry_set_gid(ae, e.gid);
        archive_entry_set_mtime(ae, 1700000000, 0);
        archive_entry_set_perm(ae, e.mode);
        switch (e.type) {
        case TarEntry::File:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_size(ae, e.declaredSize >= 0 ? e.declaredSize : la_int64_t(e.data.size()));
            break;
        case TarEntry::Dir: archive_entry_set_filetype(ae, AE_IFDIR); break;
        case TarEntry::Symlink:
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_symlink(ae, e.target.c_str());
            break;
        case TarEntry::Hardlink:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_hardlink(ae, e.target.c_str());
            archive_entry_set_size(ae, 0);
            break;
        case TarEntry::CharDev:
            archive_entry_set_filetype(ae, AE_IFCHR);
            archive_entry_set_rdevmajor(ae, e.devMajor);
            archive_entry_set_rdevminor(ae, e.devMinor);
            break;
        case TarEntry::Fifo: archive_entry_set_filetype(ae, AE_IFIFO); break;
        case TarEntry::BlockDev:
            archive_entry_set_filetype(ae, AE_IFBLK);
            archive_entry_set_rdevmajor(ae, e.devMajor);
            archive_entry_set_rdevminor(ae, e.devMinor);
            break;
        }
        for (auto& [name, value] : e.xattrs) archive_entry_xattr_add_entry(ae, name.c_str(), value.data(), value.size());
        if (archive_write_header(a, ae) != ARCHIVE_OK)
            qFatal("tar header %s: %s", e.path.c_str(), archive_error_string(a));
        if (e.type == TarEntry::File && !e.data.empty()) archive_write_data(a, e.data.data(), e.data.size());
        archive_entry_free(ae);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

std::vector<TarEntry> entriesOfDir(const fs::path& dir) {
    std::vector<TarEntry> out;
    std::vector<fs::path> paths;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it)
        paths.push_back(it->path());
    std::sort(paths.begin(), paths.end());
    for (auto& p : paths) {
        struct stat st;
        if (::lstat(p.c_str(), &st) < 0) continue;
        TarEntry e;
        e.path = p.lexically_relative(dir).string();
        e.mode = st.st_mode & 07777;
        if (S_ISDIR(st.st_mode)) {
            e.type = TarEntry::Dir;
        } else if (S_ISLNK(st.st_mode)) {
            e.type = TarEntry::Symlink;
            e.target = fs::read_symlink(p).string();
        } else if (S_ISREG(st.st_mode)) {
            e.data = readFileText(p);
        } else {
            continue;
        }
        out.push_back(std::move(e));
    }
    return out;
}

bool haveBusybox() { return ::access("/bin/busybox", X_OK) == 0; }

void makeBusyboxRootfs(const fs::path& dir) {
    if (!haveBusybox()) qFatal("/bin/busybox missing (apt-get install busybox-static)");
    for (auto d : {"bin", "etc", "tmp", "root", "var/www", "proc", "sys", "dev"})
        fs::create_directories(dir / d);
    fs::copy_file("/bin/busybox", dir / "bin/busybox", fs::copy_options::overwrite_existing);
    fs::permissions(dir / "bin/busybox", fs::perms(0755));
    auto list = runCommand({"/bin/busybox", "--list"});
    std::istringstream applets(list.out);
    std::string applet;
    while (std::getline(applets, applet)) {
        if (applet.empty() || applet == "busybox" || applet.find('/') != std::string::npos) continue;
        std::error_code ec;
        fs::create_symlink("busybox", dir / "bin" / applet, ec);
    }
    writeFile(dir / "etc/passwd",
              "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    writeFile(dir / "etc/group", "root:x:0:\nnogroup:x:65534:\n");
    writeFile(dir / "var/www/index.html", "<h1>Hello from Berth</h1>\n");
    fs::permissions(dir / "tmp", fs::perms(01777));
}

static std::vector<TarEntry> busyboxEntries() {
    TempDir tmp;
    makeBusyboxRootfs(tmp.path() / "rootfs");
    return entriesOfDir(tmp.path() / "rootfs");
}

FixtureImage writeDockerArchive(const fs::path& out, const std::vector<std::string>& layerTars,
                                const ArchiveOptions& options) {
    FixtureImage img;
    img.archive = out;
    img.layerTars = layerTars;
    json history = json::array();
    for (size_t i = 0; i < layerTars.size(); ++i) {
        img.diffIds.push_back("sha256:" + sha256Hex(layerTars[i]));
        history.push_back({{"created", "2024-01-01T00:00:00Z"},
                           {"created_by", i == 0 ? "ADD rootfs / # fixture" : "RUN fixture layer " + std::to_string(i + 1)}});
    }
    history.push_back({{"created", "2024-01-01T00:00:01Z"}, {"created_by", "CMD [\"/bin/sh\"]"}, {"empty_layer", true}});
    json config{{"architecture", "amd64"},
                {"os", "linux"},
                {"created", "2024-01-01T00:00:01Z"},
                {"config",
                 {{"Env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
                  {"Cmd", {"/bin/sh"}},
                  {"WorkingDir", "/"},
                  {"Labels", {{"org.berth.fixture", "busybox"}}},
                  {"ExposedPorts", {{"80/tcp", json::object()}}}}},
                {"rootfs", {{"type", "layers"}, {"diff_ids", img.diffIds}}},
                {"history", history}};
    std::string cfg = config.dump();
    std::string cfgHex = sha256Hex(cfg);
    img.configDigest = "sha256:" + cfgHex;

    std::vector<TarEntry> entries;
    json layers = json::array();
    std::string configPath;
    if (options.layout == ArchiveLayout::Blobs) {
        entries.push_back({TarEntry::Dir, "blobs", "", "", 0755});
        entries.push_back({TarEntry::Dir, "blobs/sha256", "", "", 0755});
    }
    std::string parentId;
    for (size_t i = 0; i < layerTars.size(); ++i) {
        std::string data = layerTars[i];
        if (options.layers != TarCompression::None) {
            // Recompress: wrap the layer bytes in the filter by writing a raw stream.
            std::string compressed;
            archive* a = archive_write_new();
            archive_write_set_format_raw(a);
            archive_write_add_filter(a, options.layers == TarCompression::Gzip ? ARCHIVE_FILTER_GZIP
                                                                                : ARCHIVE_FILTER_ZSTD);
            archive_write_set_bytes_in_last_block(a, 1);
            archive_write_open(a, &compressed, nullptr, appendToString, nullptr);
            archive_entry* ae = archive_entry_new();
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_pathname(ae, "layer");
            archive_entry_set_size(ae, la_int64_t(data.size()));
            archive_write_header(a, ae);
            archive_write_data(a, data.data(), data.size());
            archive_entry_free(ae);
            archive_write_close(a);
            archive_write_free(a);
            data = compressed;
        }
        std::string path;
        if (options.layout == ArchiveLayout::Blobs) {
            path = "blobs/sha256/" + sha256Hex(data);
        } else {
            std::string v1 = sha256Hex(parentId + img.diffIds[i]);
            parentId = v1;
            entries.push_back({TarEntry::Dir, v1, "", "", 0755});
            entries.push_back({TarEntry::File, v1 + "/VERSION", "1.0"});
            path = v1 + "/layer.tar";
        }
        entries.push_back({TarEntry::File, path, data});
        layers.push_back(path);
    }
    configPath = options.layout == ArchiveLayout::Blobs ? "blobs/sha256/" + cfgHex : cfgHex + ".json";
    entries.push_back({TarEntry::File, configPath, cfg});
    json manifest = json::array({{{"Config", configPath}, {"RepoTags", options.tags}, {"Layers", layers}}});
    if (options.tags.empty()) manifest[0]["RepoTags"] = nullptr;
    entries.push_back({TarEntry::File, "manifest.json", manifest.dump()});
    writeFile(out, makeTar(entries, options.outer));
    return img;
}

FixtureImage writeBusyboxArchive(const fs::path& out, const ArchiveOptions& options) {
    return writeDockerArchive(out, {makeTar(busyboxEntries())}, options);
}

FixtureImage writeLayeredArchive(const fs::path& out, const ArchiveOptions& options) {
    auto base = busyboxEntries();
    base.push_back({TarEntry::File, "etc/motd", "welcome to layer one\n"});
    base.push_back({TarEntry::Dir, "data", "", "", 0755});
    base.push_back({TarEntry::File, "data/keep.txt", "kept below\n"});
    base.push_back({TarEntry::File, "data/old.txt", "hidden by the opaque dir\n"});
    std::vector<TarEntry> two{
        {TarEntry::Dir, "etc", "", "", 0755},
        {TarEntry::File, "etc/.wh.motd", ""},
        {TarEntry::File, "etc/layer2", "from layer two\n"},
    };
    std::vector<TarEntry> three{
        {TarEntry::Dir, "data", "", "", 0755},
        {TarEntry::File, "data/.wh..wh..opq", ""},
        {TarEntry::File, "data/new.txt", "only this survives\n"},
    };
    ArchiveOptions o = options;
    if (o.tags == std::vector<std::string>{"busybox:latest"}) o.tags = {"busybox:layered"};
    return writeDockerArchive(out, {makeTar(base), makeTar(two), makeTar(three)}, o);
}

std::string importBusybox(const fs::path& root, const std::string& name) {
    TempDir tmp;
    makeBusyboxRootfs(tmp.path() / "rootfs");
    fs::path tar = tmp.path() / "rootfs.tar";
    writeFile(tar, makeTar(entriesOfDir(tmp.path() / "rootfs")));
    auto r = runBerth(root, {"import", tar.string(), name});
    if (r.exitCode != 0) {
        qWarning("berth import failed (%d): %s", r.exitCode, r.err.c_str());
        return {};
    }
    std::string id = r.out;
    while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
    return id;
}

} // namespace berth::test
