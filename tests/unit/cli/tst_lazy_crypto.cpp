// The CLI's lazy libcrypto (app/berth/lazy_crypto.cpp): its EVP_* SHA-256 functions, which
// hash small inputs themselves (app/berth/sha256.h) and hand larger ones to libcrypto, give
// the digests of FIPS 180-4's known answers and the same digests as libcrypto itself on
// every size around the block and hand-over boundaries, fed in one piece or in random
// pieces. The reference is libcrypto in another process (`openssl dgst -sha256` over all
// the inputs at once), where the shims of this program cannot stand in for its functions
// (a second libcrypto loaded here with dlmopen crashed in its own initialisation).
#include "skip.h"
#include <QtTest/QtTest>

#include "lazy_library.h"

#include <openssl/evp.h>


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

// libcrypto's digests of `inputs`, by the openssl program: one run for them all.
std::vector<std::string> opensslDigests(const std::vector<std::string>& inputs) {
    QTemporaryDir dir;
    if (!dir.isValid()) qFatal("cannot make a temporary directory");
    QStringList args{QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-r")};
    for (size_t i = 0; i < inputs.size(); ++i) {
        QFile f(dir.filePath(QString::number(i)));
        if (!f.open(QIODevice::WriteOnly) || f.write(inputs[i].data(), qint64(inputs[i].size())) != qint64(inputs[i].size()))
            qFatal("cannot write an input");
        args << f.fileName();
    }
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), args);
    if (!openssl.waitForFinished(120000) || openssl.exitCode() != 0)
        qFatal("openssl dgst failed (is the openssl program installed?): %s", openssl.readAllStandardError().constData());
    std::vector<std::string> out;
    for (const QByteArray& line : openssl.readAllStandardOutput().split('\n'))
        if (!line.isEmpty()) out.push_back(line.left(64).toStdString());  // "<hex> *<file>"
    if (out.size() != inputs.size()) qFatal("openssl dgst printed %zu digests for %zu inputs", out.size(), inputs.size());
    return out;
}

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
    std::vector<std::string> inputs;
    for (size_t n : sizes) inputs.push_back(randomData(n));
    const auto wanted = opensslDigests(inputs);
    for (size_t i = 0; i < inputs.size(); ++i) {
        const std::string& data = inputs[i];
        const size_t n = data.size();
        const std::string& want = wanted[i];
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

BERTH_GUILESS_TEST_MAIN(LazyCryptoTest)
#include "tst_lazy_crypto.moc"
