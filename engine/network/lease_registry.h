#pragma once
// Addresses leased on a bridge device, shared by every store that uses the device. Two
// stores with the default configuration both put their containers on berth0 in
// 10.77.0.0/16; each store's own state cannot see the other's containers, so the leases
// live beside the device, host-wide: one file per address under <dir>/<bridge>/, made with
// O_EXCL. Whoever creates the file has the address; no lock is needed, and a claim never
// waits for another store.
//   /run/berth-leases/berth0/10.77.0.2    "<container id>\n<run root>\n"
// A lease is given back by the container that holds it (checked: a late clean-up never
// drops another container's lease). Leases of containers whose store no longer knows them
// (a store deleted with containers running, a crash never reconciled) are swept when a
// subnet runs out of addresses.

#include "network/ipv4.h"
#include "sys/error.h"

#include <filesystem>
#include <set>
#include <string>

namespace berth::network {

struct LeaseOwner {
    std::string containerId;          // 64 hex
    std::filesystem::path runRoot;    // the owning store's run root (its networks/endpoints/)
};

class LeaseRegistry {
public:
    // The host-wide registry (/run/berth-leases); tests pass a directory of their own.
    LeaseRegistry();
    explicit LeaseRegistry(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    const std::filesystem::path& dir() const { return m_dir; }

    // The first address of `subnet` after `after` (wrapping; 0 = from the lowest) that is
    // not the gateway, not in `alsoUsed` and not leased by anyone. Errc::Conflict when full.
    Result<Ipv4> claimFree(const std::string& bridge, const Subnet& subnet, Ipv4 gateway,
                           const std::set<Ipv4>& alsoUsed, Ipv4 after, const LeaseOwner& owner) const;
    // Exactly `ip` (--ip): Errc::Conflict when another container holds it. Held by `owner`
    // already: fine.
    VoidResult claim(const std::string& bridge, Ipv4 ip, const LeaseOwner& owner) const;
    // Gives the lease back if `containerId` holds it; a missing lease is not an error.
    void release(const std::string& bridge, Ipv4 ip, const std::string& containerId) const;
    // Gives back every lease `containerId` of the store at `runRoot` holds, on any bridge,
    // returns how many. For a container's removal: a start killed between its claim and
    // the save of its endpoint leaves a lease that no endpoint names.
    int releaseAllOf(const std::string& containerId, const std::filesystem::path& runRoot) const;
    // Every address leased on `bridge` now, by any store.
    std::set<Ipv4> leased(const std::string& bridge) const;
    // Removes the leases on `bridge` whose owner store does not list the container (and
    // older than a start takes), returns how many went.
    int sweepStale(const std::string& bridge) const;

private:
    std::filesystem::path m_dir;
};

} // namespace berth::network
