#include "resident_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace berth::monitor {

namespace {

struct Mapping {
    unsigned long start = 0, end = 0;
    char perms[5] = {};
    std::string path;
    long anonymousKb = -1;
};

bool releasable(const Mapping& m, const std::string& exe) {
    // Only our own program's clean, non-writable pages: dropping a written (COW) page
    // would bring back the unrelocated file contents.
    return m.path == exe && m.perms[1] != 'w' && m.anonymousKb == 0 && m.end > m.start;
}

} // namespace

void releaseStartupPages() {
    char exeBuf[4096];
    ssize_t n = ::readlink("/proc/self/exe", exeBuf, sizeof exeBuf - 1);
    if (n <= 0) return;
    std::string exe(exeBuf, size_t(n));
    std::FILE* f = std::fopen("/proc/self/smaps", "re");
    if (!f) return;
    // Collected first, released last: parsing runs libc code that lives in the very pages
    // being released, which would fault them straight back in.
    struct Range {
        unsigned long start, end;
    };
    Range ranges[16];
    int count = 0;
    Mapping cur;
    bool have = false;
    auto keep = [&] {
        if (have && releasable(cur, exe) && count < 16) ranges[count++] = {cur.start, cur.end};
    };
    char line[4352];
    while (std::fgets(line, sizeof line, f)) {
        unsigned long a, b;
        char perms[5];
        int pathAt = 0;
        if (std::sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &a, &b, perms, &pathAt) == 3 && pathAt > 0) {
            keep();
            cur = Mapping{a, b, {}, line + pathAt, -1};
            std::memcpy(cur.perms, perms, sizeof perms);
            while (!cur.path.empty() && (cur.path.back() == '\n' || cur.path.back() == ' ')) cur.path.pop_back();
            have = true;
        } else if (std::strncmp(line, "Anonymous:", 10) == 0) {
            cur.anonymousKb = std::strtol(line + 10, nullptr, 10);
        }
    }
    keep();
    std::fclose(f);
    for (int i = 0; i < count; ++i) {
        void* addr = reinterpret_cast<void*>(ranges[i].start);
        size_t len = ranges[i].end - ranges[i].start;
        if (::madvise(addr, len, MADV_DONTNEED) == 0) (void)::madvise(addr, len, MADV_RANDOM);
    }
}

} // namespace berth::monitor
