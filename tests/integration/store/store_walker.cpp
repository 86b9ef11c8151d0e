// Run by store_permissions_integration as an unprivileged user (setpriv): tries to list,
// read, run or open every path of a store, from a list root made, and prints each one it
// could reach. Nothing but plain libc, so it can be copied anywhere and run as anyone.
//
//   store_walker LIST_FILE
//
// LIST_FILE lines: "<kind> <path>", kind d (directory), f (file), x (file with an execute
// bit), l (symlink), n (device node, fifo or socket). Output lines: "<how> <path>" with how
// one of LISTED, READ, RAN, READLINK, OPENED, or "REACHED <path>: <error>" when the attempt
// failed for another reason than a permission refusal (so the path was reachable).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace {

void report(const char* how, const std::string& path, int err = 0) {
    if (err) printf("REACHED %s: %s (%s)\n", path.c_str(), strerror(err), how);
    else printf("%s %s\n", how, path.c_str());
}

// errno after a failed attempt: a refusal (EACCES) is the expected outcome, a vanished path
// is nobody's business, anything else means the path was reached.
void failed(const char* how, const std::string& path) {
    if (errno != EACCES && errno != ENOENT) report(how, path, errno);
}

void tryOpen(const char* how, const std::string& path, int flags) {
    int fd = open(path.c_str(), flags | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0) {
        report(how, path);
        close(fd);
    } else {
        failed(how, path);
    }
}

// Runs the file; a pipe closed on exec tells whether the exec itself succeeded.
void tryExec(const std::string& path) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return;
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        char* argv[] = {const_cast<char*>(path.c_str()), const_cast<char*>("true"), nullptr};
        char* envp[] = {nullptr};
        execve(path.c_str(), argv, envp);
        int e = errno;
        (void)!write(p[1], &e, sizeof e);
        _exit(127);
    }
    close(p[1]);
    int e = 0;
    ssize_t n = read(p[0], &e, sizeof e);
    close(p[0]);
    if (pid > 0) waitpid(pid, nullptr, 0);
    if (n == 0) report("RAN", path);
    else if (e != EACCES && e != ENOENT) report("RAN", path, e);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s LIST_FILE\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in) {
        fprintf(stderr, "store_walker: cannot read %s\n", argv[1]);
        return 2;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() < 3) continue;
        char kind = line[0];
        std::string path = line.substr(2);
        switch (kind) {
        case 'd': tryOpen("LISTED", path, O_RDONLY | O_DIRECTORY); break;
        case 'x': tryOpen("READ", path, O_RDONLY); tryExec(path); break;
        case 'f': tryOpen("READ", path, O_RDONLY); break;
        case 'n': tryOpen("OPENED", path, O_RDONLY | O_NONBLOCK); break;
        case 'l': {
            char buf[4096];
            if (readlink(path.c_str(), buf, sizeof buf) >= 0) report("READLINK", path);
            else failed("READLINK", path);
            break;
        }
        default: break;
        }
    }
    fflush(stdout);
    return 0;
}
