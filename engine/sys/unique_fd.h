#pragma once
// UniqueFd owns a file descriptor (move-only, closed on destruction); BorrowedFd is the
// non-owning form for parameters. Neither converts implicitly to int.

#include <unistd.h>

#include <utility>

namespace berth::sys {

class BorrowedFd {
public:
    explicit BorrowedFd(int fd) : m_fd(fd) {}
    int get() const { return m_fd; }

private:
    int m_fd;
};

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    UniqueFd(UniqueFd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept {
        if (this != &o) reset(std::exchange(o.m_fd, -1));
        return *this;
    }
    ~UniqueFd() { reset(); }

    int get() const { return m_fd; }
    BorrowedFd borrow() const { return BorrowedFd(m_fd); }
    bool valid() const { return m_fd >= 0; }
    explicit operator bool() const { return valid(); }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd = -1;
};

} // namespace berth::sys
