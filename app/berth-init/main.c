/* berth-init: pid 1 of a `berth run --init` container (what docker's /sbin/docker-init, tini,
 * is to docker). Bound read-only on /sbin/docker-init and run as
 *     /sbin/docker-init -- COMMAND [ARG...]
 * it starts COMMAND as its child, forwards every signal it receives to it, reaps every
 * process that ends in the container (orphans are re-parented to pid 1), and exits with
 * COMMAND's status: its exit code, or 128 + the signal that killed it.
 *
 * All signals but the synchronous ones stay blocked and are taken with sigwaitinfo(): a
 * blocked signal reaches a pid namespace's init even when it has no handler (an unblocked
 * one without a handler is dropped by the kernel for pid 1), so `berth stop`'s SIGTERM is
 * forwarded, not lost. Static and C only: it runs in any image, with nothing of the image's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const int kSynchronous[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU};

static int exitStatus(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

/* The child: the caller's signal mask back, in the foreground of the terminal if there is
 * one, then COMMAND looked up in $PATH. 127 when it is not found, 126 when it cannot run. */
static void runCommand(char** argv, const sigset_t* original) {
    if (isatty(STDIN_FILENO)) {
        setpgid(0, 0);
        signal(SIGTTOU, SIG_IGN);  /* tcsetpgrp from a background group would stop us */
        (void)tcsetpgrp(STDIN_FILENO, getpgrp());
        signal(SIGTTOU, SIG_DFL);
    }
    sigprocmask(SIG_SETMASK, original, NULL);
    execvp(argv[0], argv);
    int e = errno;
    fprintf(stderr, "docker-init: exec %s: %s\n", argv[0], strerror(e));
    _exit(e == ENOENT ? 127 : 126);
}

int main(int argc, char** argv) {
    int first = 1;
    if (first < argc && strcmp(argv[first], "--") == 0) ++first;
    if (first >= argc) {
        fprintf(stderr, "usage: docker-init -- COMMAND [ARG...]\n");
        return 2;
    }
    sigset_t all, original;
    sigfillset(&all);
    for (size_t i = 0; i < sizeof kSynchronous / sizeof kSynchronous[0]; ++i) sigdelset(&all, kSynchronous[i]);
    if (sigprocmask(SIG_SETMASK, &all, &original) != 0) {
        perror("docker-init: sigprocmask");
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("docker-init: fork");
        return 1;
    }
    if (child == 0) runCommand(argv + first, &original);

    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0) {
            if (errno == EINTR) continue;
            perror("docker-init: sigwaitinfo");
            return 1;
        }
        if (sig != SIGCHLD) {
            if (kill(child, sig) != 0 && errno != ESRCH) perror("docker-init: forward a signal");
            continue;
        }
        /* One SIGCHLD may stand for several ended children: reap them all. */
        for (;;) {
            int status = 0;
            pid_t pid = waitpid(-1, &status, WNOHANG);
            if (pid <= 0) break;
            if (pid == child) return exitStatus(status);
        }
    }
}
