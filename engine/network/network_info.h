#pragma once
// What the network layer tells its callers: networks, the containers attached to them and
// the host ports published for a container. These are the public types (berth/networks.h,
// berth/run_request.h) under the network layer's names.

#include "berth/networks.h"
#include "berth/run_request.h"

namespace berth::network {

using berth::ConnectOptions;
using berth::CreateNetworkOptions;
using berth::EndpointInfo;
using berth::NetworkInfo;
using berth::NetworkPruneReport;
// A host port forwarded to a container port (after ephemeral ports were chosen).
using PublishedPort = berth::PortBinding;

} // namespace berth::network
