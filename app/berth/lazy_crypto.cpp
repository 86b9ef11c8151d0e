// libcrypto, loaded on first use (see lazy_library.h): only digests of blobs need it.
#include "lazy_library.h"

#include <openssl/evp.h>

namespace {
berth::cli::lazy::Library g_crypto("libcrypto.so.3");
}

BERTH_LAZY_FORWARD(g_crypto, EVP_MD_CTX*, EVP_MD_CTX_new, (void), ())
BERTH_LAZY_FORWARD(g_crypto, void, EVP_MD_CTX_free, (EVP_MD_CTX * ctx), (ctx))
BERTH_LAZY_FORWARD(g_crypto, const EVP_MD*, EVP_sha256, (void), ())
BERTH_LAZY_FORWARD(g_crypto, int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD* type, ENGINE* impl),
                   (ctx, type, impl))
BERTH_LAZY_FORWARD(g_crypto, int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void* d, size_t n), (ctx, d, n))
BERTH_LAZY_FORWARD(g_crypto, int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char* md, unsigned int* s),
                   (ctx, md, s))
