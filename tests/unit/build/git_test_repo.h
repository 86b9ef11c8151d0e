#pragma once
// A git repository made by the test itself with libgit2 (no git program): each commit
// gives a branch the complete file set it should hold (nested paths allowed); tags are
// annotated or lightweight. Used by the unit and integration tests of git contexts.

#include <git2.h>

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace berth::test {

class GitTestRepo {
public:
    // A non-bare repository at `dir` (created), or a bare one.
    explicit GitTestRepo(const std::filesystem::path& dir, bool bare = false) {
        git_libgit2_init();
        check(git_repository_init(&m_repo, dir.c_str(), bare ? 1 : 0), "init");
    }
    ~GitTestRepo() {
        git_repository_free(m_repo);
        git_libgit2_shutdown();
    }
    GitTestRepo(const GitTestRepo&) = delete;
    GitTestRepo& operator=(const GitTestRepo&) = delete;

    // Commits `files` (path -> content; a path ending in "*" is made executable, one ending
    // in "@" a symbolic link to `content`, without the mark) as the whole tree of `branch`, on top of the branch's tip. Returns the commit hex.
    std::string commit(const std::string& branch, const std::map<std::string, std::string>& files,
                       const std::string& message) {
        git_oid treeId = writeTree(files, "");
        git_tree* tree = nullptr;
        check(git_tree_lookup(&tree, m_repo, &treeId), "tree");
        git_signature* sig = nullptr;
        check(git_signature_new(&sig, "Berth Test", "test@berth.invalid", 1700000000 + m_commits++ * 60, 0), "signature");
        std::string refName = "refs/heads/" + branch;
        git_commit* parent = nullptr;
        git_reference* tip = nullptr;
        if (git_reference_lookup(&tip, m_repo, refName.c_str()) == 0) {
            check(git_commit_lookup(&parent, m_repo, git_reference_target(tip)), "parent");
            git_reference_free(tip);
        }
        const git_commit* parents[1] = {parent};
        git_oid commitId;
        check(git_commit_create(&commitId, m_repo, refName.c_str(), sig, sig, nullptr, message.c_str(), tree,
                                parent ? 1 : 0, parents),
              "commit");
        if (parent) git_commit_free(parent);
        git_signature_free(sig);
        git_tree_free(tree);
        return hex(commitId);
    }

    void tag(const std::string& name, const std::string& commitHex, bool annotated) {
        git_oid id;
        check(git_oid_fromstr(&id, commitHex.c_str()), "oid");
        git_object* target = nullptr;
        check(git_object_lookup(&target, m_repo, &id, GIT_OBJECT_COMMIT), "tag target");
        git_oid tagId;
        if (annotated) {
            git_signature* sig = nullptr;
            check(git_signature_new(&sig, "Berth Test", "test@berth.invalid", 1700009999, 0), "signature");
            check(git_tag_create(&tagId, m_repo, name.c_str(), target, sig, ("release " + name).c_str(), 0), "tag");
            git_signature_free(sig);
        } else {
            check(git_tag_create_lightweight(&tagId, m_repo, name.c_str(), target, 0), "tag");
        }
        git_object_free(target);
    }

    void setHead(const std::string& branch) {
        check(git_repository_set_head(m_repo, ("refs/heads/" + branch).c_str()), "set HEAD");
    }

private:
    // The tree of the entries of `files` below `prefix` ("" or "dir/"), written bottom-up
    // with tree builders (an in-memory index cannot add blobs without a work tree).
    git_oid writeTree(const std::map<std::string, std::string>& files, const std::string& prefix) {
        git_treebuilder* tb = nullptr;
        check(git_treebuilder_new(&tb, m_repo, nullptr), "treebuilder");
        std::map<std::string, bool> subdirs;
        for (auto& [rawPath, content] : files) {
            if (rawPath.compare(0, prefix.size(), prefix) != 0) continue;
            std::string rest = rawPath.substr(prefix.size());
            if (auto slash = rest.find('/'); slash != std::string::npos) {
                subdirs[rest.substr(0, slash)] = true;
                continue;
            }
            git_filemode_t mode = rest.ends_with("*")   ? GIT_FILEMODE_BLOB_EXECUTABLE
                                  : rest.ends_with("@") ? GIT_FILEMODE_LINK
                                                        : GIT_FILEMODE_BLOB;
            if (mode != GIT_FILEMODE_BLOB) rest.pop_back();
            git_oid blob;  // a link's blob is its target
            check(git_blob_create_from_buffer(&blob, m_repo, content.data(), content.size()), "blob " + rawPath);
            check(git_treebuilder_insert(nullptr, tb, rest.c_str(), &blob, mode), "insert " + rawPath);
        }
        for (auto& [dir, _] : subdirs) {
            git_oid sub = writeTree(files, prefix + dir + "/");
            check(git_treebuilder_insert(nullptr, tb, dir.c_str(), &sub, GIT_FILEMODE_TREE), "insert " + dir);
        }
        git_oid id;
        check(git_treebuilder_write(&id, tb), "write tree");
        git_treebuilder_free(tb);
        return id;
    }
    static std::string hex(const git_oid& id) {
        char buf[GIT_OID_HEXSZ + 1];
        git_oid_tostr(buf, sizeof buf, &id);
        return buf;
    }
    static void check(int rc, const std::string& what) {
        if (rc < 0) {
            const git_error* e = git_error_last();
            throw std::runtime_error("libgit2 " + what + ": " + (e && e->message ? e->message : "error"));
        }
    }

    git_repository* m_repo = nullptr;
    int m_commits = 0;
};

} // namespace berth::test
