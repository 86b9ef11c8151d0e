#include "runtime/seccomp_cache.h"

#include "sys/fs.h"

#include <fcntl.h>
#include <seccomp.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace berth::runtime {

namespace {

constexpr char kMagic[8] = {'B', 'S', 'E', 'C', 'C', 'v', '1', '\n'};

std::string cacheKey(const std::string& profile, std::vector<std::string> caps) {
    std::sort(caps.begin(), caps.end());
    struct utsname u{};
    ::uname(&u);
    const scmp_version* v = seccomp_version();
    std::string key = fmt::format("libseccomp {}.{}.{}\nkernel {}\narch {}\ncaps", v ? v->major : 0,
                                  v ? v->minor : 0, v ? v->micro : 0, u.release, seccomp_arch_native());
    for (const auto& c : caps) key += " " + c;
    key += "\nprofile\n";
    key += profile;
    return key;
}

// FNV-1a names the file only; the stored key decides whether it matches.
std::string fileName(const std::string& key) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : key) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return fmt::format("{:016x}.bpf", h);
}

std::optional<SeccompProgram> readEntry(const std::filesystem::path& path, const std::string& key) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    sys::UniqueFd owned(fd);
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 022))
        return std::nullopt;
    std::string data;
    data.resize(size_t(st.st_size));
    size_t got = 0;
    while (got < data.size()) {
        ssize_t n = ::read(fd, data.data() + got, data.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::nullopt;
        got += size_t(n);
    }
    size_t header = sizeof kMagic + sizeof(uint64_t);
    if (data.size() < header || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
    uint64_t keyLen;
    std::memcpy(&keyLen, data.data() + sizeof kMagic, sizeof keyLen);
    if (keyLen != key.size() || data.size() < header + keyLen) return std::nullopt;
    if (data.compare(header, keyLen, key) != 0) return std::nullopt;
    size_t rest = data.size() - header - keyLen;
    if (rest == 0 || rest % sizeof(sock_filter) != 0) return std::nullopt;
    SeccompProgram prog;
    prog.instructions.resize(rest / sizeof(sock_filter));
    std::memcpy(prog.instructions.data(), data.data() + header + keyLen, rest);
    return prog;
}

void writeEntry(const std::filesystem::path& dir, const std::filesystem::path& path, const std::string& key,
                const SeccompProgram& prog) {
    // The parent (<root>/cache) may not exist yet in a fresh store: without it the cache
    // silently never filled and every start paid the full compile.
    if (dir.has_parent_path()) (void)sys::makeDirs(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return;
    struct stat st{};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 022))
        return;
    std::string data(kMagic, sizeof kMagic);
    uint64_t keyLen = key.size();
    data.append(reinterpret_cast<const char*>(&keyLen), sizeof keyLen);
    data += key;
    data.append(reinterpret_cast<const char*>(prog.instructions.data()), prog.instructions.size() * sizeof(sock_filter));
    (void)sys::writeFileAtomic(path, data, 0600);
}

} // namespace

Result<SeccompProgram> compileSeccompProfileCached(const std::string& profileJson,
                                                   const std::vector<std::string>& capabilities,
                                                   const std::filesystem::path& cacheDir) {
    if (cacheDir.empty()) return compileSeccompProfile(profileJson, capabilities);
    std::string key = cacheKey(profileJson, capabilities);
    std::filesystem::path path = cacheDir / fileName(key);
    if (auto cached = readEntry(path, key)) return std::move(*cached);
    auto prog = BERTH_TRY(compileSeccompProfile(profileJson, capabilities));
    writeEntry(cacheDir, path, key, prog);
    return prog;
}

} // namespace berth::runtime
