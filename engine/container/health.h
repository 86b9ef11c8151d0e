#pragma once
// Healthchecks (docker's HEALTHCHECK, --health-*): the container's check in effect, the
// rules a result changes its State.Health by, and both in docker's JSON shape. The monitor
// runs the checks (app/berth-monitor/health_probe.cpp); this is what they mean.

#include "berth/containers.h"
#include "berth/run_request.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace berth::container {

// The check a container runs: the request's fields over the image's (docker's merge: an
// empty test or a 0 duration takes the image's). Unset when neither has one or the test
// is ["NONE"].
std::optional<HealthConfig> effectiveHealthcheck(const std::optional<HealthConfig>& image,
                                                 const std::optional<HealthConfig>& request);

// The durations and retries in effect (docker's defaults for what is 0).
int64_t healthIntervalNs(const HealthConfig& h);
int64_t healthTimeoutNs(const HealthConfig& h);
int64_t healthStartIntervalNs(const HealthConfig& h);
int healthRetries(const HealthConfig& h);

// The process a check runs: ["CMD", args...] -> args; ["CMD-SHELL", "cmd"] -> /bin/sh -c cmd.
std::vector<std::string> healthCommand(const HealthConfig& h);
// A (re)start: status "starting", no failing streak; the log is kept (docker's).
void healthStarting(HealthState& s);
// Go's time.Duration text, as docker's messages print one: "30s", "1m30s", "500ms", "1.5s".
std::string goDuration(int64_t ns);

// Takes one result into the state (docker's rules): exit 0 makes it healthy and resets the
// streak; a failure counts unless the container never was healthy and the check started
// within the start period; `retries` failures in a row make it unhealthy. The log keeps
// the last kHealthLogEntries. Returns whether the status changed.
bool applyHealthResult(HealthState& state, HealthResult result, const HealthConfig& config, int64_t startedNano);

// State.Health as docker's inspect shows it: {Status, FailingStreak, Log: [{Start, End,
// ExitCode, Output}]} (times RFC 3339 nano); also how state.json keeps it.
nlohmann::json healthStateJson(const HealthState& s);
HealthState healthStateFromJson(const nlohmann::json& j);

// What `ps` adds after "Up 3 minutes": " (healthy)", " (unhealthy)", " (health: starting)".
std::string healthSuffix(const HealthState& s);

} // namespace berth::container
