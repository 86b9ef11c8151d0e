#pragma once
// What a user asks for when creating a container, in the engine's words: the public
// RunRequest (berth/run_request.h) and its parsers (berth/run_flags.h) under the names the
// container layer has always used.

#include "berth/run_flags.h"
#include "berth/run_request.h"
#include "cgroup/resources.h"
#include "container/mount_spec.h"
#include "sys/error.h"

namespace berth::container {

using berth::LogConfig;
using berth::PortBinding;
using berth::RestartPolicy;
using berth::Ulimit;
using CreateOptions = berth::RunRequest;

using berth::parseCpus;
using berth::parseLogOpt;
using berth::parseMemory;
using berth::parsePortSpec;
using berth::parseRestartPolicy;
using berth::parseSecurityOpt;
using berth::parseUlimit;
using berth::readEnvFile;

} // namespace berth::container
