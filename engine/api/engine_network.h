#pragma once
// Private to the facade: what a container's record asks of the network layer.

#include "container/container_record.h"
#include "image/image_store.h"
#include "network/network_service.h"
#include "store/layout.h"

namespace berth {

// -p bindings, plus (with -P) every EXPOSEd port of the image on an ephemeral host port.
network::ContainerNetworkRequest networkRequestFor(const container::ContainerRecord& rec,
                                                   const store::StoreLayout& layout,
                                                   const image::ImageStore& images);

} // namespace berth
