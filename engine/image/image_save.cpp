// ImageStore::save: a docker-archive (manifest.json, repositories, blobs/sha256/…) with uncompressed
// layers, the form `docker load`, `podman load` and skopeo's docker-archive: read.
#include "image/blob_store.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "image/image_store.h"
#include "image/layer_stream.h"
#include "sys/fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <memory>
#include <set>

namespace berth::image {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Writer {
    archive* a = archive_write_new();
    ~Writer() { archive_write_free(a); }
    std::string err() const { return archive_error_string(a) ? archive_error_string(a) : "unknown"; }

    VoidResult header(const std::string& path, uint64_t size, bool dir = false) {
        std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(e.get(), path.c_str());
        archive_entry_set_filetype(e.get(), dir ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(e.get(), dir ? 0755 : 0644);
        archive_entry_set_size(e.get(), dir ? 0 : la_int64_t(size));
        archive_entry_set_mtime(e.get(), 0, 0);
        if (archive_write_header(a, e.get()) != ARCHIVE_OK)
            return fail(Errc::Io, fmt::format("write `{}`: {}", path, err()));
        return {};
    }
    VoidResult data(const void* p, size_t n, const std::string& path) {
        if (archive_write_data(a, p, n) != la_ssize_t(n))
            return fail(Errc::Io, fmt::format("write `{}`: {}", path, err()));
        return {};
    }
    VoidResult file(const std::string& path, std::string_view bytes) {
        BERTH_TRYV(header(path, bytes.size()));
        return data(bytes.data(), bytes.size(), path);
    }
};

} // namespace

VoidResult ImageStore::save(const std::vector<std::string>& refs, const fs::path& out,
                            const ProgressFn& progress) {
    if (refs.empty()) return fail(Errc::InvalidArgument, "save: no images given");
    // A shared lock keeps rmi from deleting blobs under us.
    auto lock = BERTH_TRY(sys::FileLock::acquire(m_layout.lockFile(), sys::FileLock::Mode::Shared));
    ImageIndex index = BERTH_TRY(readIndex(m_layout));

    std::vector<Digest> order;
    std::map<Digest, std::vector<std::string>> tags;
    for (auto& r : refs) {
        Digest id = BERTH_TRY(resolveId(r));
        if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
        auto& t = tags[id];
        if (auto ref = Reference::parse(r); ref && !ref->digest && index.names.count(ref->str())) {
            // Fully qualified: podman reads a short name as localhost/…, docker reads both.
            std::string fam = ref->str();
            if (std::find(t.begin(), t.end(), fam) == t.end()) t.push_back(fam);
        }
    }

    fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    fs::path tmp = dir / (".tmp-" + out.filename().string() + "-" + sys::randomHex(6));
    auto fd = BERTH_TRY(sys::openFile(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644));
    bool done = false;
    struct Cleanup {
        fs::path p;
        bool& done;
        ~Cleanup() {
            if (!done) ::unlink(p.c_str());
        }
    } cleanup{tmp, done};

    Writer w;
    archive_write_set_format_pax_restricted(w.a);
    if (archive_write_open_fd(w.a, fd.get()) != ARCHIVE_OK)
        return fail(Errc::Io, "save: " + w.err());
    BERTH_TRYV(w.header("blobs/", 0, true));
    BERTH_TRYV(w.header("blobs/sha256/", 0, true));

    json manifest = json::array();
    json repositories = json::object();
    std::set<Digest> written;
    std::string buf(1 << 18, '\0');
    for (auto& id : order) {
        const ImageRecord* rec = index.find(id);
        if (!rec) return fail(Errc::NotFound, "No such image: " + id.str());
        std::string cfg = BERTH_TRY(readBlob(m_layout, id));
        std::string cfgPath = "blobs/sha256/" + id.hex();
        if (written.insert(id).second) BERTH_TRYV(w.file(cfgPath, cfg));
        json layers = json::array();
        for (auto& l : rec->layers) {
            std::string lpath = "blobs/sha256/" + l.diffId.hex();
            layers.push_back(lpath);
            if (!written.insert(l.diffId).second) continue;
            if (progress) progress("Writing layer " + l.diffId.shortId());
            fs::path blob = blobPath(m_layout, l.blob);
            uint64_t size = l.size;
            if (l.blob == l.diffId) {
                std::error_code ec;
                size = fs::file_size(blob, ec);
                if (ec) return failErrno("stat `" + blob.string() + "`", ec.value());
            } else if (size == 0) {
                BERTH_TRY(uncompressedDigest(blob, &size));
            }
            auto stream = BERTH_TRY_CTX(LayerStream::open(blob), "save layer " + l.diffId.str());
            BERTH_TRYV(w.header(lpath, size));
            uint64_t total = 0;
            Sha256 h;
            for (;;) {
                size_t n = BERTH_TRY(stream.read(buf.data(), buf.size()));
                if (n == 0) break;
                total += n;
                if (total > size) break;
                h.update(buf.data(), n);
                BERTH_TRYV(w.data(buf.data(), n, lpath));
            }
            if (total != size || h.finish() != l.diffId)
                return fail(Errc::Corrupt, fmt::format("save: stored layer {} does not match its diff id "
                                                       "(run `berth system check`)", l.diffId.str()));
        }
        json entry{{"Config", cfgPath}, {"RepoTags", nullptr}, {"Layers", layers}};
        if (!tags[id].empty()) entry["RepoTags"] = tags[id];
        manifest.push_back(entry);
        // docker's legacy `repositories`: familiar name -> tag -> the top layer's hex.
        for (const std::string& t : tags[id])
            if (auto ref = Reference::parse(t); ref && !rec->layers.empty())
                repositories[ref->familiarName()][ref->tag] = rec->layers.back().diffId.hex();
    }
    BERTH_TRYV(w.file("manifest.json", manifest.dump()));
    if (!repositories.empty()) BERTH_TRYV(w.file("repositories", repositories.dump()));
    if (archive_write_close(w.a) != ARCHIVE_OK) return fail(Errc::Io, "save: " + w.err());
    if (::fsync(fd.get()) < 0) return failErrno("fsync `" + tmp.string() + "`");
    fd.reset();
    BERTH_TRYV(sys::renamePath(tmp, out));
    done = true;
    return {};
}

} // namespace berth::image
