#pragma once
// A place to extract hostile archives into, and the check that nothing landed outside it.
//
//   <base>/              mkdtemp under $TMPDIR (or /tmp), 0700
//     dest/              emptied before every input: the only place writes may go
//     canary             a file whose bytes, mode and owner must never change
//     cwd/               the process's working directory: must stay empty (a relative
//                        path followed outside dest lands here)
//   /tmp/berth-fuzz-escape   must never appear (the seeds and dictionaries aim absolute
//                        symlinks and names at it)
//
// After every input check() walks <base> and aborts (a crash for libFuzzer) when anything
// but these three entries exists, the canary changed, cwd is not empty or the escape path
// exists. Paths met on the way are never followed.

#include <filesystem>
#include <string_view>

namespace berth::fuzz {

inline constexpr const char* kEscapePath = "/tmp/berth-fuzz-escape";

class Sandbox {
public:
    // One per process, made on first use and removed at exit.
    static Sandbox& get();

    // dest/, empty, mode 0755.
    const std::filesystem::path& freshDest();
    void check(std::string_view what);

    const std::filesystem::path& base() const { return m_base; }

private:
    Sandbox();
    std::filesystem::path m_base, m_dest;
};

// Removes `path` and everything below it without following symlinks, first giving
// directories u+rwx so that a non-root caller can empty one the archive made 0000.
void removeTree(const std::filesystem::path& path);

} // namespace berth::fuzz
