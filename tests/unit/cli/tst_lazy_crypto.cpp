// The CLI's lazy libcrypto (app/berth/lazy_crypto.cpp): its EVP_* SHA-256 functions, which
// hash small inputs themselves (app/berth/sha256.h) and hand larger ones to libcrypto, give
// the digests of FIPS 180-4's known answers and the same digests as libcrypto itself on
// every size around the block and hand-over boundaries, fed in one piece or in random
// pieces. The reference libcrypto is loaded with dlmopen into a link namespace of its own,
// where the shims of this program cannot stand in for its functions.
#include <QtTest/QtTest>

#include "lazy_library.h"

#include <openssl/evp.h>

#include <dlfcn.h>

#include <random>
#include <string>
#include <vector>

namespace {

std::string hex(const unsigned char* d, size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += digits[d[i] >> 4];
        out += digits[d[i] & 15];
    }
    return out;
}

// Through the shims, in pieces cut at `cuts`.
std::string shimDigest(const std::string& data, const std::vector<size_t>& cuts = {}) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) qFatal("EVP_DigestInit_ex failed");
    size_t at = 0;
    for (size_t cut : cuts) {
        if (cut < at || cut > data.size()) continue;
        if (EVP_DigestUpdate(ctx, data.data() + at, cut - at) != 1) qFatal("EVP_DigestUpdate failed");
        at = cut;
    }
    if (EVP_DigestUpdate(ctx, data.data() + at, data.size() - at) != 1) qFatal("EVP_DigestUpdate failed");
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != 32) qFatal("EVP_DigestFinal_ex failed");
    EVP_MD_CTX_free(ctx);
    return hex(md, n);
}

struct RealCrypto {
    using Digest = int (*)(const void*, size_t, unsigned char*, unsigned int*, const EVP_MD*, ENGINE*);
    using Md = const EVP_MD* (*)();
    Digest digest = nullptr;
    Md sha256 = nullptr;
    RealCrypto() {
        void* h = ::dlmopen(LM_ID_NEWLM, "libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
        if (!h) return;
        digest = reinterpret_cast<Digest>(::dlsym(h, "EVP_Digest"));
        sha256 = reinterpret_cast<Md>(::dlsym(h, "EVP_sha256"));
    }
    std::string operator()(const std::string& data) const {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (digest(data.data(), data.size(), md, &n, sha256(), nullptr) != 1) qFatal("libcrypto's EVP_Digest failed");
        return hex(md, n);
    }
};

} // namespace

class LazyCryptoTest : public QObject {
    Q_OBJECT
private slots:
    void knownAnswers();
    void sameAsLibcryptoOnEverySize();
    void missingLibraryIsAnErrorNotAnExit();
};

void LazyCryptoTest::knownAnswers() {
    QCOMPARE(shimDigest(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(shimDigest("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(shimDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
             std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    QCOMPARE(shimDigest("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
             std::string("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"));
    // One million 'a' (past the hand-over to libcrypto), and in pieces kept natively first.
    const std::string million(1000000, 'a');
    const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    QCOMPARE(shimDigest(million), expected);
    QCOMPARE(shimDigest(million, {1, 63, 64, 65, 999999}), expected);
}

void LazyCryptoTest::sameAsLibcryptoOnEverySize() {
    RealCrypto real;
    QVERIFY2(real.digest && real.sha256, "libcrypto.so.3 (a dependency of berth) could not be loaded with dlmopen");
    std::mt19937 rng(16);
    auto randomData = [&](size_t n) {
        std::string s(n, '\0');
        for (auto& c : s) c = char(rng());
        return s;
    };
    std::vector<size_t> sizes;
    for (size_t n = 0; n <= 1100; ++n) sizes.push_back(n);  // every padding case, several blocks
    const size_t limit = size_t(1) << 20;  // lazy_crypto.cpp's hand-over to libcrypto
    for (size_t n : {limit - 65, limit - 1, limit, limit + 1, limit + 64, 3 * limit + 7}) sizes.push_back(n);
    for (size_t n : sizes) {
        const std::string data = randomData(n);
        const std::string want = real(data);
        QCOMPARE(shimDigest(data), want);
        std::vector<size_t> cuts;
        for (int i = 0; i < 4 && n > 0; ++i) cuts.push_back(rng() % (n + 1));
        std::sort(cuts.begin(), cuts.end());
        if (n > limit) cuts.push_back(limit - 1);  // kept natively, then handed over mid-stream
        std::sort(cuts.begin(), cuts.end());
        QCOMPARE(shimDigest(data, cuts), want);
    }
}

void LazyCryptoTest::missingLibraryIsAnErrorNotAnExit() {
    // The shims' seam: a library that is not there answers the failure value and keeps the
    // reason for main() to print (this process goes on: it did not exit).
    berth::cli::lazy::Library missing("libberth-no-such-library.so.9", -30);
    QVERIFY(missing.symbol("anything") == nullptr);
    QCOMPARE(berth::cli::lazy::failValue<int>(missing), -30);
    QCOMPARE(std::string(berth::cli::lazy::failValue<const char*>(missing)), std::string());
    QVERIFY(berth::cli::lazy::failValue<void*>(missing) == nullptr);
    const std::string why = berth::cli::lazy::failure();
    QVERIFY2(why.find("libberth-no-such-library.so.9") != std::string::npos, why.c_str());
    QVERIFY2(why.find("is the library installed?") != std::string::npos, why.c_str());
}

QTEST_GUILESS_MAIN(LazyCryptoTest)
#include "tst_lazy_crypto.moc"
