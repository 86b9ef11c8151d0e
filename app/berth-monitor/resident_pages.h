#pragma once
// Gives back the resident pages the monitor needed only to start its container.

namespace berth::monitor {

// Start-up runs most of the monitor's code once (JSON, spec building, cgroup and seccomp
// set-up, the launch recipe); the kernel's fault-around had mapped nearly all of the
// program's read-only pages by then (~1.9 MiB), while the supervising loop uses a few
// dozen KiB. Unmaps the program's clean read-only file pages (they stay in the page cache,
// shared by every monitor, and fault back in if ever needed) and asks for no fault-around
// from then on, so the monitor's RSS is what it runs. Mappings holding a private copy
// (relocated RELRO data) are left alone. Best effort: any failure leaves things as they were.
void releaseStartupPages();

} // namespace berth::monitor
