#include "sandbox.h"

#include "fuzz_target.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <string>

namespace fs = std::filesystem;

namespace berth::fuzz {

namespace {

constexpr std::string_view kCanaryText = "canary: nothing may write here\n";

int openUp(const char* path, const struct stat* st, int type, struct FTW*) {
    if (type == FTW_D && (st->st_mode & 0700) != 0700) ::chmod(path, (st->st_mode & 07777) | 0700);
    return 0;
}

std::string describe(const fs::path& p) {
    struct stat st;
    if (::lstat(p.c_str(), &st) < 0) return p.string() + " (gone)";
    return fmt::format("{} (mode {:o}, uid {}, size {})", p.string(), st.st_mode, st.st_uid, st.st_size);
}

} // namespace

void removeTree(const fs::path& path) {
    struct stat st;
    if (::lstat(path.c_str(), &st) < 0) return;
    if (S_ISDIR(st.st_mode)) ::nftw(path.c_str(), openUp, 16, FTW_PHYS);
    std::error_code ec;
    fs::remove_all(path, ec);
    FUZZ_CHECK(!ec, fmt::format("cannot empty {}: {}", path.string(), ec.message()));
}

Sandbox& Sandbox::get() {
    // Never destroyed: the atexit handler below removes the sandbox after static
    // destructors have run (it was registered first, so it runs last), and it reads m_base.
    static Sandbox& box = *new Sandbox;
    return box;
}

Sandbox::Sandbox() {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/berth-fuzz-XXXXXX";
    FUZZ_CHECK(::mkdtemp(templ.data()) != nullptr, fmt::format("mkdtemp {}: {}", templ, std::strerror(errno)));
    m_base = templ;
    m_dest = m_base / "dest";
    {
        std::ofstream canary(m_base / "canary", std::ios::binary);
        canary << kCanaryText;
    }
    ::chmod((m_base / "canary").c_str(), 0600);
    fs::create_directory(m_base / "cwd");
    FUZZ_CHECK(::chdir((m_base / "cwd").c_str()) == 0, "chdir into the sandbox");
    std::atexit([] {
        (void)!::chdir("/");
        removeTree(Sandbox::get().m_base);
    });
}

const fs::path& Sandbox::freshDest() {
    removeTree(m_dest);
    FUZZ_CHECK(::mkdir(m_dest.c_str(), 0755) == 0, fmt::format("mkdir {}: {}", m_dest.string(), std::strerror(errno)));
    return m_dest;
}

void Sandbox::check(std::string_view what) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(m_base)) names.insert(e.path().filename());
    for (const auto& n : names)
        FUZZ_CHECK(n == "dest" || n == "canary" || n == "cwd",
                   fmt::format("{} wrote outside its directory: {}", what, describe(m_base / n)));
    FUZZ_CHECK(names.contains("canary") && names.contains("cwd"), fmt::format("{} removed a sandbox entry", what));
    FUZZ_CHECK(fs::is_empty(m_base / "cwd"), fmt::format("{} wrote into the working directory", what));

    struct stat st;
    FUZZ_CHECK(::lstat((m_base / "canary").c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
                   st.st_uid == ::geteuid() && st.st_nlink == 1 && size_t(st.st_size) == kCanaryText.size(),
               fmt::format("{} changed the canary: {}", what, describe(m_base / "canary")));
    std::ifstream canary(m_base / "canary", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(canary)), std::istreambuf_iterator<char>());
    FUZZ_CHECK(text == kCanaryText, fmt::format("{} rewrote the canary", what));

    FUZZ_CHECK(::lstat(kEscapePath, &st) < 0 && errno == ENOENT,
               fmt::format("{} made {}", what, describe(kEscapePath)));
}

} // namespace berth::fuzz
