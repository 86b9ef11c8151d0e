#pragma once
// Random-kill crash tests: a seed that is printed and can be given back to replay a failure,
// and a process killed with SIGKILL at a moment inside its work, reporting where the kill
// landed (before the work began, during it, or after it ended) so a test can count the
// kills that really interrupted something and fail when most did not.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace berth::test {

// The seed for this test function's random choices: BERTH_TEST_SEED when set (to replay a
// failed run), else a fresh one. Printed either way, with the line that replays it.
uint64_t testSeed();

// What a store holds that a running operation writes: every file's path and size under
// blobs/, tmp/ and images/, and the names of the layer directories (not their insides,
// so it stays cheap to take every millisecond). The lock file and the events journal are
// left out: opening the store touches them before any work.
std::string storeFootprint(const std::filesystem::path& root);

struct KilledRun {
    bool started = false;         // the work was seen begun before the kill
    bool exitedByItself = false;  // it ended before the signal (so nothing was interrupted)
    int status = 0;               // waitpid status
    std::chrono::microseconds delay{0};  // from the start seen to the kill
};

// Starts `argv` (stdin, stdout and stderr on /dev/null) and polls `started` every
// millisecond; once it is true waits `delay` and sends SIGKILL. When `started` never turns
// true before the process ends (or within `startTimeoutMs`), it is killed there and
// `started` is false.
KilledRun runAndKill(const std::vector<std::string>& argv, const std::function<bool()>& started,
                     std::chrono::microseconds delay, int startTimeoutMs = 60000);

// Runs `argv` to its end the same way and returns how long it worked: from `started` turning
// true to its exit (zero when it never did). For spreading kills over the work.
std::chrono::microseconds timeTheWork(const std::vector<std::string>& argv, const std::function<bool()>& started,
                                      int* exitStatus = nullptr);

// A command working on the store at `root` (`berth --root ROOT load …`).
using StoreCommand = std::function<std::vector<std::string>(const std::filesystem::path& root)>;

// How long the work of an undisturbed run of `command` takes here: the shortest of `runs`
// runs, each on a fresh store from `newRoot()`, timed from its footprint changing to its
// exit. Zero, with `error` set, when a run failed or never wrote into its store.
std::chrono::microseconds shortestWork(const StoreCommand& command, const std::function<std::filesystem::path()>& newRoot,
                                       int runs, std::string* error);

// Runs `command` on `root` and kills it `delay` after its work is seen begun (the store's
// footprint changed).
KilledRun killDuringWork(const StoreCommand& command, const std::filesystem::path& root, std::chrono::microseconds delay);

// The kills of one test by where they landed. `finished`: the operation's result was in the
// store after the kill (it completed before the signal took effect).
struct KillTally {
    int mid = 0, early = 0, late = 0;
    void add(const KilledRun& run, bool finished);
    bool mostMidOperation() const { return mid * 2 > mid + early + late; }
    // "18 of 20 kills mid-operation, 0 before the work began, 2 after it finished".
    std::string summary() const;
};

} // namespace berth::test
