#pragma once
// WorkDir: a private directory under the store's tmp/ where a long operation (load, import,
// pull, build) prepares blobs and layers before committing them. Its owner holds an flock on
// a sibling lock file (tmp/<name>.lock) for as long as it works; a work dir whose lock can
// be taken belongs to a dead process and is rolled back and removed by recoverWorkDirs().
//
// Before a commit moves new blobs/layers into the store, the owner writes a journal listing
// them; rolling back removes those the images index does not reference, so a crash between
// "blobs moved" and "index written" leaves no orphans behind.

#include "image/digest.h"
#include "store/layout.h"
#include "sys/error.h"
#include "sys/unique_fd.h"

#include <filesystem>
#include <vector>

namespace berth::image {

struct ImageIndex;

class WorkDir {
public:
    static Result<WorkDir> create(const store::StoreLayout& layout, std::string_view kind);
    WorkDir(WorkDir&&) = default;
    WorkDir& operator=(WorkDir&&) = default;
    ~WorkDir();

    const std::filesystem::path& path() const { return m_path; }
    // Records what the commit is about to add to the store (written durably).
    VoidResult writeJournal(const std::vector<Digest>& blobs, const std::vector<Digest>& layers);
    // Removes the directory now (also done by the destructor).
    void remove();

private:
    WorkDir() = default;
    std::filesystem::path m_path;
    std::filesystem::path m_lockPath;
    sys::UniqueFd m_lock;
};

// Under the store lock: rolls back and removes every work dir whose owner died. Returns
// how many it removed.
Result<size_t> recoverWorkDirs(const store::StoreLayout& layout, const ImageIndex& index);
// tmp/partial/: blob downloads kept across processes, named by digest hex, so a pull that
// was killed resumes where it stopped (engine/registry owns the files; each is verified
// from byte 0 again before use). Not a leftover for `check`.
std::filesystem::path partialDownloadsDir(const store::StoreLayout& layout);
// Names of tmp/ entries recoverWorkDirs() would not recognise (for `check`).
std::vector<std::string> unknownTmpEntries(const store::StoreLayout& layout);

} // namespace berth::image
