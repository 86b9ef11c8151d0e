// libnftables, loaded on first use (see lazy_library.h): only the bridge network's set-up
// and teardown write nftables rules. Linked normally it brings five more shared objects
// (libmnl, libnftnl, libxtables, libjansson, libgmp) into every `berth` start: ~1 ms of
// loading and relocation for `ps`, `stop` or `stats`, which never touch it.
//
// Every function of the library's API is forwarded, so a new call in engine/network stays
// lazy without an edit here.
#include "lazy_library.h"

#include <nftables/libnftables.h>

namespace {
berth::cli::lazy::Library g_nft("libnftables.so.1", -1);
} // namespace

BERTH_LAZY_FORWARD(g_nft, struct nft_ctx*, nft_ctx_new, (uint32_t flags), (flags))
BERTH_LAZY_FORWARD(g_nft, void, nft_ctx_free, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, bool, nft_ctx_get_dry_run, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, void, nft_ctx_set_dry_run, (struct nft_ctx * ctx, bool dry), (ctx, dry))
BERTH_LAZY_FORWARD(g_nft, uint32_t, nft_ctx_get_optimize, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, void, nft_ctx_set_optimize, (struct nft_ctx * ctx, uint32_t flags), (ctx, flags))
BERTH_LAZY_FORWARD(g_nft, unsigned int, nft_ctx_output_get_flags, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, void, nft_ctx_output_set_flags, (struct nft_ctx * ctx, unsigned int flags), (ctx, flags))
BERTH_LAZY_FORWARD(g_nft, unsigned int, nft_ctx_output_get_debug, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, void, nft_ctx_output_set_debug, (struct nft_ctx * ctx, unsigned int mask), (ctx, mask))
BERTH_LAZY_FORWARD(g_nft, FILE*, nft_ctx_set_output, (struct nft_ctx * ctx, FILE* fp), (ctx, fp))
BERTH_LAZY_FORWARD(g_nft, int, nft_ctx_buffer_output, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, int, nft_ctx_unbuffer_output, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, const char*, nft_ctx_get_output_buffer, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, FILE*, nft_ctx_set_error, (struct nft_ctx * ctx, FILE* fp), (ctx, fp))
BERTH_LAZY_FORWARD(g_nft, int, nft_ctx_buffer_error, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, int, nft_ctx_unbuffer_error, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, const char*, nft_ctx_get_error_buffer, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, int, nft_ctx_add_include_path, (struct nft_ctx * ctx, const char* path), (ctx, path))
BERTH_LAZY_FORWARD(g_nft, void, nft_ctx_clear_include_paths, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, int, nft_ctx_add_var, (struct nft_ctx * ctx, const char* var), (ctx, var))
BERTH_LAZY_FORWARD(g_nft, void, nft_ctx_clear_vars, (struct nft_ctx * ctx), (ctx))
BERTH_LAZY_FORWARD(g_nft, int, nft_run_cmd_from_buffer, (struct nft_ctx * nft, const char* buf), (nft, buf))
BERTH_LAZY_FORWARD(g_nft, int, nft_run_cmd_from_filename, (struct nft_ctx * nft, const char* filename),
                   (nft, filename))
