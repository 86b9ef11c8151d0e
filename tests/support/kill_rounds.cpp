#include "kill_rounds.h"

#include <QtTest/QtTest>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

extern char** environ;

namespace berth::test {

namespace fs = std::filesystem;

uint64_t testSeed() {
    uint64_t seed = 0;
    const char* given = std::getenv("BERTH_TEST_SEED");
    if (given && *given) {
        char* end = nullptr;
        errno = 0;
        seed = std::strtoull(given, &end, 10);
        if (errno != 0 || !end || *end != '\0') qFatal("BERTH_TEST_SEED=%s is not a seed (a decimal number)", given);
    } else {
        std::random_device rd;
        seed = (uint64_t(rd()) << 32) | rd();
    }
    qInfo("%s: seed %llu%s; to replay: BERTH_TEST_SEED=%llu", QTest::currentTestFunction() ? QTest::currentTestFunction() : "?",
          (unsigned long long)seed, given && *given ? " (from BERTH_TEST_SEED)" : "", (unsigned long long)seed);
    return seed;
}

std::string storeFootprint(const fs::path& root) {
    std::vector<std::string> entries;
    std::error_code ec;
    for (const char* dir : {"blobs", "tmp", "images"}) {
        for (auto it = fs::recursive_directory_iterator(root / dir, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            std::error_code sec;
            if (it->is_directory(sec)) continue;
            entries.push_back(it->path().lexically_relative(root).string() + " " +
                              std::to_string(it->is_regular_file(sec) ? it->file_size(sec) : 0));
        }
        ec.clear();
    }
    for (auto it = fs::directory_iterator(root / "layers", ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        entries.push_back("layers/" + it->path().filename().string());
    std::sort(entries.begin(), entries.end());
    std::string out;
    for (const auto& e : entries) out += e + "\n";
    return out;
}

namespace {

pid_t spawnQuiet(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) qFatal("spawn %s: %s", args[0], std::strerror(rc));
    return pid;
}

// Polls every millisecond until `started` or the process ends; true when started first.
bool waitForStart(pid_t pid, const std::function<bool()>& started, int timeoutMs, int* status, bool* ended) {
    *ended = false;
    for (int waited = 0; waited < timeoutMs; ++waited) {
        if (started()) return true;
        pid_t r = ::waitpid(pid, status, WNOHANG);
        if (r == pid) {
            *ended = true;
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

} // namespace

KilledRun runAndKill(const std::vector<std::string>& argv, const std::function<bool()>& started,
                     std::chrono::microseconds delay, int startTimeoutMs) {
    KilledRun run;
    run.delay = delay;
    pid_t pid = spawnQuiet(argv);
    bool ended = false;
    run.started = waitForStart(pid, started, startTimeoutMs, &run.status, &ended);
    if (ended) {
        run.exitedByItself = true;
        return run;
    }
    if (run.started) std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    run.status = reap(pid);
    run.exitedByItself = !(WIFSIGNALED(run.status) && WTERMSIG(run.status) == SIGKILL);
    return run;
}

std::chrono::microseconds timeTheWork(const std::vector<std::string>& argv, const std::function<bool()>& started,
                                      int* exitStatus) {
    pid_t pid = spawnQuiet(argv);
    int status = 0;
    bool ended = false;
    bool seen = waitForStart(pid, started, 600000, &status, &ended);
    auto t0 = std::chrono::steady_clock::now();
    if (!ended) status = reap(pid);
    if (exitStatus) *exitStatus = status;
    if (!seen) return std::chrono::microseconds(0);
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
}

std::chrono::microseconds shortestWork(const StoreCommand& command, const std::function<fs::path()>& newRoot, int runs,
                                       std::string* error) {
    auto shortest = std::chrono::microseconds::max();
    for (int i = 0; i < runs; ++i) {
        const fs::path root = newRoot();
        const std::string before = storeFootprint(root);
        int status = 0;
        auto took = timeTheWork(command(root), [&] { return storeFootprint(root) != before; }, &status);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            *error = "an undisturbed run failed (wait status " + std::to_string(status) + ")";
            return std::chrono::microseconds(0);
        }
        if (took.count() == 0) {
            *error = "an undisturbed run never wrote into its store";
            return took;
        }
        shortest = std::min(shortest, took);
    }
    return shortest;
}

KilledRun killDuringWork(const StoreCommand& command, const fs::path& root, std::chrono::microseconds delay) {
    const std::string before = storeFootprint(root);
    return runAndKill(command(root), [&] { return storeFootprint(root) != before; }, delay);
}

void KillTally::add(const KilledRun& run, bool finished) {
    if (!run.started) ++early;
    else if (run.exitedByItself || finished) ++late;
    else ++mid;
}

std::string KillTally::summary() const {
    return std::to_string(mid) + " of " + std::to_string(mid + early + late) + " kills mid-operation, " +
           std::to_string(early) + " before the work began, " + std::to_string(late) + " after it finished";
}

} // namespace berth::test
