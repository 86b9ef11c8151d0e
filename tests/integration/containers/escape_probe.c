// escape_probe: a static program the escape tests run inside containers (bind-mounted
// from the build tree, so busybox images can run it) and on the host. Each mode performs
// one attack a hostile container would try and prints what it got; the tests read that.
//
//   pty-run CMD...        (host) run CMD as a session leader on a new pty, relay its
//                         output to our stdout, exit with its status
//   sti TEXT              push TEXT and a newline into the controlling terminal (TIOCSTI
//                         on /dev/tty, else on fds 0-2); prints what happened to each
//   watch-proc HOST EXEC  until SIGTERM: read /proc/<pid>/environ, cmdline and exe of every
//                         other process; prints LEAK lines for HOST (a string only the host
//                         caller's environment holds) in environ or cmdline, EXEC (passed
//                         with exec -e) in cmdline, or a berth binary as exe
//   seize                 until SIGTERM: PTRACE_SEIZE every other process; once attached,
//                         make it run keyctl() (which the seccomp profile forbids) and
//                         print what that returned
// Both print "PRE-EXEC <pid> <comm>: ..." (once per pid) with what their attack got when
// they caught a process joining the container before its execve: its comm is still its
// parent's, not that of the command the tests exec (`true`). The tests need one such line
// to know the attack was performed at the moment it matters.
//   inspect               for each pid read from stdin (one a line, until EOF): try to
//                         read its /proc environ and to PTRACE_SEIZE it, print what
//                         happened and the Uid, NoNewPrivs and Seccomp lines of its
//                         status, then "END <pid>" (the runtime test asks it about a
//                         process caught at the moment it appears in the container)
//
// The watching modes print READY once they watch, and DONE when they end.

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop = 0;
static void onTerm(int sig) {
    (void)sig;
    g_stop = 1;
}

static void say(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static int ptyRun(char** cmd) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) return 125;
    const char* name = ptsname(master);
    pid_t pid = fork();
    if (pid < 0) return 125;
    if (pid == 0) {
        setsid();
        int slave = open(name, O_RDWR);
        if (slave < 0) _exit(125);
        ioctl(slave, TIOCSCTTY, 0);
        dup2(slave, 0);
        dup2(slave, 1);
        dup2(slave, 2);
        if (slave > 2) close(slave);
        close(master);
        execvp(cmd[0], cmd);
        _exit(127);
    }
    char buf[4096];
    for (;;) {
        ssize_t n = read(master, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EIO once the last holder of the slave is gone
        fwrite(buf, 1, (size_t)n, stdout);
        fflush(stdout);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int pushInput(int fd, const char* text) {
    for (const char* p = text; *p; ++p)
        if (ioctl(fd, TIOCSTI, p) != 0) return -1;
    char nl = '\n';
    return ioctl(fd, TIOCSTI, &nl);
}

// Every line names the text pushed, so a test tells the container's report from the host's.
static int sti(const char* text) {
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (tty < 0) {
        say("%s tty-open: %s", text, strerror(errno));
    } else {
        say("%s tty-open: ok", text);
        say("%s sti-tty: %s", text, pushInput(tty, text) == 0 ? "ok" : strerror(errno));
        close(tty);
    }
    for (int fd = 0; fd < 3; ++fd) {
        if (!isatty(fd)) {
            say("%s fd%d: not a terminal", text, fd);
            continue;
        }
        say("%s fd%d: terminal, sti %s", text, fd, pushInput(fd, text) == 0 ? "ok" : strerror(errno));
    }
    return 0;
}

static ssize_t readSmall(const char* path, char* buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) return -1;
    buf[n] = 0;
    for (ssize_t i = 0; i < n; ++i)
        if (buf[i] == 0) buf[i] = ' ';
    return n;
}

// Calls `visit` for every process but us and pid 1, until SIGTERM.
static void eachOtherProcess(void (*visit)(pid_t, const char*), const char* arg) {
    pid_t self = getpid();
    while (!g_stop) {
        DIR* d = opendir("/proc");
        if (!d) return;
        struct dirent* e;
        while (!g_stop && (e = readdir(d))) {
            pid_t pid = (pid_t)atoi(e->d_name);
            if (pid <= 1 || pid == self) continue;
            visit(pid, arg);
        }
        closedir(d);
    }
}

static const char* g_execCanary = "";

// The command the tests exec: a process with another comm has not exec'd it yet.
static const char kExecComm[] = "true";

// The process's comm ("" when it is gone): readable for any process, dumpable or not.
static void commOf(pid_t pid, char* comm, size_t size) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    comm[0] = 0;
    if (readSmall(path, comm, size) > 0) comm[strcspn(comm, "\n")] = 0;
}

// True the first time it is asked about `pid` while that process has not exec'd the tests'
// command yet (and is not the probe itself, which the callers skip).
static int firstPreExecSighting(pid_t pid, char* comm, size_t size) {
    static pid_t reported[256];
    static int nreported = 0;
    commOf(pid, comm, size);
    if (!comm[0] || !strcmp(comm, kExecComm)) return 0;
    for (int i = 0; i < nreported; ++i)
        if (reported[i] == pid) return 0;
    if (nreported < 256) reported[nreported++] = pid;
    return 1;
}

static void watchOne(pid_t pid, const char* hostCanary) {
    static char buf[1 << 20];
    char path[64], comm[64];
    int preExec = firstPreExecSighting(pid, comm, sizeof comm);
    snprintf(path, sizeof path, "/proc/%d/environ", pid);
    ssize_t got = readSmall(path, buf, sizeof buf);
    if (preExec) say("PRE-EXEC %d %s: environ %s", pid, comm, got >= 0 ? "READ" : strerror(errno));
    if (got > 0 && strstr(buf, hostCanary)) say("LEAK environ of %d", pid);
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    if (readSmall(path, buf, sizeof buf) > 0 && (strstr(buf, hostCanary) || strstr(buf, g_execCanary)))
        say("LEAK cmdline of %d", pid);
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = 0;
        if (strstr(buf, "berth")) say("LEAK exe of %d: %s", pid, buf);
    }
}

#if defined(__x86_64__)
// Attached: at the process's next system call, make it keyctl(KEYCTL_GET_KEYRING_ID,
// KEY_SPEC_SESSION_KEYRING, 0) instead, and report the result.
static void injectKeyctl(pid_t pid) {
    int status;
    if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) != 0) return;
    if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) return;
    if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD) != 0) goto out;
    for (int i = 0; i < 4; ++i) {  // to a syscall-entry stop (skip other stops)
        if (ptrace(PTRACE_SYSCALL, pid, 0, 0) != 0) goto out;
        if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) return;
        if (WSTOPSIG(status) == (SIGTRAP | 0x80)) break;
    }
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0) goto out;
    regs.orig_rax = SYS_keyctl;
    regs.rdi = 0;                   // KEYCTL_GET_KEYRING_ID
    regs.rsi = (unsigned long)-3;   // KEY_SPEC_SESSION_KEYRING
    regs.rdx = 0;
    if (ptrace(PTRACE_SETREGS, pid, 0, &regs) != 0) goto out;
    if (ptrace(PTRACE_SYSCALL, pid, 0, 0) != 0) goto out;
    if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) return;
    if (ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0) goto out;
    long r = (long)regs.rax;
    if (r >= 0) say("FORBIDDEN keyctl ran in %d: returned %ld", pid, r);
    else say("keyctl in %d refused: %s", pid, strerror((int)-r));
out:
    ptrace(PTRACE_DETACH, pid, 0, 0);
}
#endif

static void seizeOne(pid_t pid, const char* unused) {
    (void)unused;
#if defined(__x86_64__)
    static pid_t done[64];
    static int ndone = 0;
    for (int i = 0; i < ndone; ++i)
        if (done[i] == pid) return;
    char comm[64];
    int preExec = firstPreExecSighting(pid, comm, sizeof comm);
    if (ptrace(PTRACE_SEIZE, pid, 0, 0) != 0) {
        if (preExec) say("PRE-EXEC %d %s: seize %s", pid, comm, strerror(errno));
        return;
    }
    if (preExec) say("PRE-EXEC %d %s: seize ATTACHED", pid, comm);
    char path[64], status[4096];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (readSmall(path, status, sizeof status) > 0) {
        const char* s = strstr(status, "Seccomp:");
        say("attached to %d (%.11s)", pid, s ? s : "Seccomp: ?");
    }
    if (ndone < 64) done[ndone++] = pid;
    injectKeyctl(pid);
#else
    (void)pid;
#endif
}

// One attack on one process, with every outcome printed: the caller decides.
static void inspectOne(pid_t pid) {
    static char buf[1 << 16];
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    say("pid %d environ: %s", pid, n >= 0 ? "READ" : strerror(errno));
    if (fd >= 0) close(fd);
    if (ptrace(PTRACE_SEIZE, pid, 0, 0) == 0) {
        say("pid %d seize: ATTACHED", pid);
        // Detach (only a stopped tracee can be): a tracer that stays attached would hold
        // the process's exit from its parent.
        int status;
        if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) == 0 && waitpid(pid, &status, __WALL) == pid)
            ptrace(PTRACE_DETACH, pid, 0, 0);
    } else {
        say("pid %d seize: %s", pid, strerror(errno));
    }
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (readSmall(path, buf, sizeof buf) <= 0) {
        say("pid %d status: %s", pid, strerror(errno));
    } else {
        for (char* line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
            if (!strncmp(line, "Uid:", 4) || !strncmp(line, "NoNewPrivs:", 11) || !strncmp(line, "Seccomp:", 8))
                say("pid %d %s", pid, line);
    }
    say("END %d", pid);
}

static int inspect(void) {
    char line[64];
    while (fgets(line, sizeof line, stdin)) inspectOne((pid_t)atoi(line));
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    if (!strcmp(argv[1], "inspect")) return inspect();
    const char* mode = argv[1];
    if (!strcmp(mode, "pty-run") && argc > 2) return ptyRun(argv + 2);
    if (!strcmp(mode, "sti") && argc > 2) return sti(argv[2]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onTerm;
    sigaction(SIGTERM, &sa, NULL);
    if (!strcmp(mode, "watch-proc") && argc > 3) {
        g_execCanary = argv[3];
        say("READY");
        eachOtherProcess(watchOne, argv[2]);
        say("DONE");
        return 0;
    }
    if (!strcmp(mode, "seize")) {
#if !defined(__x86_64__)
        say("UNSUPPORTED: the seize probe is written for x86_64");
        return 0;
#endif
        say("READY");
        eachOtherProcess(seizeOne, NULL);
        say("DONE");
        return 0;
    }
    return 2;
}
