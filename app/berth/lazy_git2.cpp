// libgit2, loaded on first use (see lazy_library.h): only `build` of a git context needs it,
// and linking it normally loads libssh2, libhttp_parser, libpcre2 and their TLS stack at
// every start of every verb.
#include "lazy_library.h"

#include <git2.h>

namespace {
berth::cli::lazy::Library g_git2("libgit2.so.1.5", -1);  // GIT_ERROR
} // namespace

BERTH_LAZY_FORWARD(g_git2, int, git_libgit2_init, (void), ())
BERTH_LAZY_FORWARD(g_git2, const git_error*, git_error_last, (void), ())
BERTH_LAZY_FORWARD(g_git2, void, git_repository_free, (git_repository * repo), (repo))
BERTH_LAZY_FORWARD(g_git2, void, git_remote_free, (git_remote * remote), (remote))
BERTH_LAZY_FORWARD(g_git2, void, git_object_free, (git_object * object), (object))
BERTH_LAZY_FORWARD(g_git2, void, git_reference_free, (git_reference * ref), (ref))
BERTH_LAZY_FORWARD(g_git2, void, git_tree_free, (git_tree * tree), (tree))
BERTH_LAZY_FORWARD(g_git2, char*, git_oid_tostr, (char* out, size_t n, const git_oid* id), (out, n, id))
BERTH_LAZY_FORWARD(g_git2, int, git_oid_equal, (const git_oid* a, const git_oid* b), (a, b))
BERTH_LAZY_FORWARD(g_git2, int, git_credential_ssh_key_from_agent, (git_credential * *out, const char* username),
                   (out, username))
BERTH_LAZY_FORWARD(g_git2, int, git_credential_default_new, (git_credential * *out), (out))
BERTH_LAZY_FORWARD(g_git2, int, git_remote_init_callbacks, (git_remote_callbacks * opts, unsigned int version),
                   (opts, version))
BERTH_LAZY_FORWARD(g_git2, int, git_remote_ls, (const git_remote_head*** out, size_t* size, git_remote* remote),
                   (out, size, remote))
BERTH_LAZY_FORWARD(g_git2, int, git_remote_create_anonymous, (git_remote * *out, git_repository* repo, const char* url),
                   (out, repo, url))
BERTH_LAZY_FORWARD(g_git2, int, git_remote_create_detached, (git_remote * *out, const char* url), (out, url))
BERTH_LAZY_FORWARD(g_git2, int, git_remote_connect,
                   (git_remote * remote, git_direction direction, const git_remote_callbacks* callbacks,
                    const git_proxy_options* proxy_opts, const git_strarray* custom_headers),
                   (remote, direction, callbacks, proxy_opts, custom_headers))
BERTH_LAZY_FORWARD(g_git2, int, git_remote_disconnect, (git_remote * remote), (remote))
BERTH_LAZY_FORWARD(g_git2, int, git_repository_init, (git_repository * *out, const char* path, unsigned is_bare),
                   (out, path, is_bare))
BERTH_LAZY_FORWARD(g_git2, int, git_fetch_options_init, (git_fetch_options * opts, unsigned int version), (opts, version))
BERTH_LAZY_FORWARD(g_git2, int, git_remote_fetch,
                   (git_remote * remote, const git_strarray* refspecs, const git_fetch_options* opts,
                    const char* reflog_message),
                   (remote, refspecs, opts, reflog_message))
BERTH_LAZY_FORWARD(g_git2, int, git_reference_lookup, (git_reference * *out, git_repository* repo, const char* name),
                   (out, repo, name))
BERTH_LAZY_FORWARD(g_git2, int, git_reference_peel, (git_object * *out, const git_reference* ref, git_object_t type),
                   (out, ref, type))
BERTH_LAZY_FORWARD(g_git2, int, git_revparse_single, (git_object * *out, git_repository* repo, const char* spec),
                   (out, repo, spec))
BERTH_LAZY_FORWARD(g_git2, int, git_object_peel, (git_object * *peeled, const git_object* object, git_object_t target_type),
                   (peeled, object, target_type))
BERTH_LAZY_FORWARD(g_git2, const git_oid*, git_object_id, (const git_object* obj), (obj))
BERTH_LAZY_FORWARD(g_git2, int, git_commit_tree, (git_tree * *tree_out, const git_commit* commit), (tree_out, commit))
BERTH_LAZY_FORWARD(g_git2, int, git_checkout_options_init, (git_checkout_options * opts, unsigned int version),
                   (opts, version))
BERTH_LAZY_FORWARD(g_git2, int, git_checkout_tree,
                   (git_repository * repo, const git_object* treeish, const git_checkout_options* opts),
                   (repo, treeish, opts))
