#pragma once
// Times, durations and sizes as docker shows them: one implementation for the CLI, the
// window, the Docker API service and the engine's own texts ("Up 2 hours").

#include "berth/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace berth {

int64_t nowNano();  // CLOCK_REALTIME, unix nanoseconds
// RFC 3339 with nanoseconds in UTC ("2026-11-26T21:03:04.123456789Z"); <= 0 is docker's
// zero time "0001-01-01T00:00:00Z".
std::string formatTimeNano(int64_t unixNano);
// RFC 3339 (fraction and zone offset optional) back to unix ns; 0 when unparseable.
int64_t parseTimeNano(std::string_view text);
// docker's HumanDuration: "Less than a second", "1 second", "5 seconds", "About a minute",
// "3 minutes", "About an hour", "2 hours" (hours rounded), "3 days", "2 weeks", "4 months", "2 years".
std::string humanDuration(int64_t seconds);
// Go's time.ParseDuration as docker's HEALTHCHECK options and --health-* flags take it
// ("30s", "1m30s", "1.5h", "200ms", "0") in nanoseconds; Errc::InvalidArgument otherwise.
Result<int64_t> parseDuration(std::string_view text);
// "2 hours ago" for a unix time; "N/A" for 0.
std::string timeAgo(int64_t unixSeconds);
// docker's HumanSize: SI units, 3 significant digits ("4.26MB", "42.6MB", "426MB", "0B").
std::string humanSize(uint64_t bytes);
// docker's BytesSize (stats): binary units, 4 significant digits ("1.5MiB", "512KiB").
std::string humanBinarySize(uint64_t bytes);
// "[=====>      ]  1.2MB/4.5MB" as docker draws a transfer (just the size when the total is
// unknown): `berth pull`/`push` and the Docker API's "progress" field.
std::string progressBar(uint64_t current, uint64_t total);
// Standard base64 with padding (RFC 4648 section 4): the engine's one encoder, which the
// registry client's Basic auth uses too; the Docker API's X-Docker-Container-Path-Stat.
std::string base64Encode(std::string_view bytes);

} // namespace berth
