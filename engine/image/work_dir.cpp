#include "image/work_dir.h"

#include "image/blob_store.h"
#include "image/image_index.h"
#include "image/layer_store.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace berth::image {

namespace fs = std::filesystem;
using nlohmann::json;

static constexpr std::string_view kWorkPrefix = "work-";
static constexpr std::string_view kLockSuffix = ".lock";
static constexpr const char* kJournal = "journal.json";
static constexpr const char* kPartialDir = "partial";

fs::path partialDownloadsDir(const store::StoreLayout& layout) { return layout.tmp() / kPartialDir; }

Result<WorkDir> WorkDir::create(const store::StoreLayout& layout, std::string_view kind) {
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::string name = std::string(kWorkPrefix) + std::string(kind) + "-" + sys::randomHex(8);
        WorkDir w;
        w.m_path = layout.tmp() / name;
        w.m_lockPath = layout.tmp() / (name + std::string(kLockSuffix));
        w.m_lock = BERTH_TRY(sys::openFile(w.m_lockPath, O_RDWR | O_CREAT | O_EXCL, 0600));
        if (::flock(w.m_lock.get(), LOCK_EX | LOCK_NB) < 0)
            return failErrno("flock `" + w.m_lockPath.string() + "`");
        // A recovering process may have taken the lock between our open and flock and
        // unlinked the file: then our lock protects nothing; start over.
        struct stat a, b;
        if (::fstat(w.m_lock.get(), &a) < 0 || ::stat(w.m_lockPath.c_str(), &b) < 0 ||
            a.st_ino != b.st_ino) {
            w.m_lock.reset();
            w.m_lockPath.clear();
            w.m_path.clear();
            continue;
        }
        if (::mkdir(w.m_path.c_str(), 0700) < 0) {
            int e = errno;
            ::unlink(w.m_lockPath.c_str());
            return failErrno("mkdir `" + w.m_path.string() + "`", e);
        }
        return w;
    }
    return fail(Errc::Internal, "could not create a work directory in `" +
                                    layout.tmp().string() + "`");
}

WorkDir::~WorkDir() { remove(); }

void WorkDir::remove() {
    if (!m_path.empty()) (void)sys::removeAll(m_path);
    if (!m_lockPath.empty()) ::unlink(m_lockPath.c_str());
    m_path.clear();
    m_lockPath.clear();
    m_lock.reset();
}

VoidResult WorkDir::writeJournal(const std::vector<Digest>& blobs,
                                 const std::vector<Digest>& layers) {
    json j{{"blobs", json::array()}, {"layers", json::array()}};
    for (auto& b : blobs) j["blobs"].push_back(b.str());
    for (auto& l : layers) j["layers"].push_back(l.str());
    return sys::writeFileAtomic(m_path / kJournal, j.dump());
}

// Removes what a dead owner's journal says it was adding, unless the index references it
// (then the commit got through).
static void rollBack(const store::StoreLayout& layout, const fs::path& dir,
                     const ImageIndex& index) {
    auto text = sys::readFile(dir / kJournal);
    if (!text) return;
    auto j = json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return;
    auto blobsInUse = index.referencedBlobs();
    auto layersInUse = index.referencedLayers();
    auto contains = [](const std::vector<Digest>& v, const Digest& d) {
        return std::find(v.begin(), v.end(), d) != v.end();
    };
    if (j.contains("blobs") && j["blobs"].is_array())
        for (auto& b : j["blobs"]) {
            auto d = Digest::parse(b.is_string() ? b.get<std::string>() : "");
            if (d && !contains(blobsInUse, *d)) ::unlink(blobPath(layout, *d).c_str());
        }
    if (j.contains("layers") && j["layers"].is_array())
        for (auto& l : j["layers"]) {
            auto d = Digest::parse(l.is_string() ? l.get<std::string>() : "");
            if (d && !contains(layersInUse, *d)) (void)removeLayer(layout, *d);
        }
}

Result<size_t> recoverWorkDirs(const store::StoreLayout& layout, const ImageIndex& index) {
    size_t removed = 0;
    std::error_code ec;
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(layout.tmp(), ec))
        names.push_back(e.path().filename().string());
    if (ec) return failErrno("list `" + layout.tmp().string() + "`", ec.value());
    for (auto& name : names) {
        if (!name.starts_with(kWorkPrefix)) continue;
        fs::path p = layout.tmp() / name;
        if (name.ends_with(kLockSuffix)) {
            std::string dirName = name.substr(0, name.size() - kLockSuffix.size());
            int fd = ::open(p.c_str(), O_RDWR | O_CLOEXEC);
            if (fd < 0) continue;
            sys::UniqueFd lock(fd);
            if (::flock(fd, LOCK_EX | LOCK_NB) < 0) continue;  // owner alive
            rollBack(layout, layout.tmp() / dirName, index);
            (void)sys::removeAll(layout.tmp() / dirName);
            ::unlink(p.c_str());
            ++removed;
        } else if (!sys::exists(layout.tmp() / (name + std::string(kLockSuffix)))) {
            // A work dir whose lock file is gone: its owner died after (or while) a
            // recovery removed the lock; nobody can own it any more.
            rollBack(layout, p, index);
            (void)sys::removeAll(p);
            ++removed;
        }
    }
    return removed;
}

std::vector<std::string> unknownTmpEntries(const store::StoreLayout& layout) {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(layout.tmp(), ec)) {
        std::string name = e.path().filename().string();
        if (!name.starts_with(kWorkPrefix) && name != kPartialDir) out.push_back(name);
    }
    return out;
}

} // namespace berth::image
