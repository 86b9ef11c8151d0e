#pragma once
// What may change in a container after create: its name (rename) and its limits and
// restart policy (update). The rules of the merge are here, apart from the service, so
// that they are tested without a store or a kernel.

#include "berth/containers.h"
#include "sys/error.h"

namespace berth::container {

// docker update's merge: the container's recorded limits with the change's set fields.
// Where the container has an explicit memory+swap limit and the change raises the memory
// limit above it without a new one, Errc::Conflict with docker's message. An unset swap
// limit stays Docker's default (twice the memory), -1 stays unlimited.
Result<ResourceLimits> mergeLimits(const ResourceLimits& current, const ResourceLimits& change);

} // namespace berth::container
