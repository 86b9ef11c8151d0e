#pragma once
// Taking the kernel's cgroup-migration lock off a container start's critical path.
//
// Every move of a process into a cgroup (v1 and v2 alike) takes one global lock, and its
// first taker after a quiet spell waits for an RCU grace period: ~7-15 ms on the hosts we
// measured, while the moves right after it take ~0.05 ms. A container start makes one such
// move (its init into the container's cgroup) after everything else is ready, so it used
// to wait the whole grace period there. warmUpMigration() starts that wait early, on a
// thread of its own, with a move that changes nothing (this process into the cgroup it is
// already in, checked first): by the time the monitor moves the container's init the grace
// period is over, or partly so. The wait still happens; it now overlaps the CLI's own work
// (creating the container, starting the monitor).

namespace berth::cgroup {

// Returns at once. Does nothing unless root (rootless moves go through the user's
// systemd); failures are ignored (the move that matters then simply waits, as before).
void warmUpMigration();

} // namespace berth::cgroup
