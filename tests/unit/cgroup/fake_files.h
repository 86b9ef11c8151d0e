#pragma once
// Small helpers for tests that stand a temporary directory in for the cgroup root.

#include <QtTest/QtTest>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace berth::test {

// A fresh directory under /tmp, removed with everything in it when the object dies.
class TempDir {
public:
    TempDir() {
        std::string templ = (std::filesystem::temp_directory_path() / "berth-cgtest-XXXXXX").string();
        if (!::mkdtemp(templ.data())) qFatal("mkdtemp: %s", std::strerror(errno));
        m_path = templ;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

inline void writeText(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::trunc);
    out << text;
    QVERIFY2(out.good(), p.c_str());
}

// The file's contents; "<missing>" when absent, so a comparison names the problem.
inline std::string readText(const std::filesystem::path& p) {
    std::ifstream in(p);
    if (!in) return "<missing>";
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace berth::test
