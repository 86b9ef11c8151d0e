#include "image/layer_apply_rootless.h"

#include "image/layer_write.h"
#include "sys/fs.h"
#include "sys/userns.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace berth::image {

namespace {

std::string encode(const ApplyResult& r) {
    nlohmann::json j{{"diffId", r.diffId.str()},          {"compressed", r.compressedBytes},
                     {"uncompressed", r.uncompressedBytes}, {"entries", r.entries},
                     {"compression", r.compression},        {"warnings", r.warnings}};
    return j.dump();
}

Result<ApplyResult> decode(const std::string& text, const char* what) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(Errc::Internal, std::string(what) + ": bad helper result");
    ApplyResult r;
    r.diffId = BERTH_TRY(Digest::parse(j.value("diffId", std::string())));
    r.compressedBytes = j.value("compressed", uint64_t(0));
    r.uncompressedBytes = j.value("uncompressed", uint64_t(0));
    r.entries = j.value("entries", uint64_t(0));
    r.compression = j.value("compression", std::string());
    r.warnings = j.value("warnings", std::vector<std::string>{});
    return r;
}

} // namespace

Result<ApplyResult> writeLayerTarInUserNamespace(const std::filesystem::path& dir, sys::BorrowedFd out, bool gzip,
                                                 const EngineSettings& settings) {
    auto mapping = BERTH_TRY_CTX(sys::rootlessIdMapping(), "write layer (rootless)");
    auto text = BERTH_TRY(sys::runHelperInUserNamespace(
        settings.helpers.layerHelper, mapping, {"write-tar", dir.string(), gzip ? "1" : "0"}, out.get(),
        [&]() -> Result<std::string> { return encode(BERTH_TRY(writeLayerTar(dir, out, gzip, settings))); }));
    return decode(text, "write layer (rootless)");
}

Result<ApplyResult> applyLayerInUserNamespace(sys::BorrowedFd input, const std::filesystem::path& dest,
                                              const ApplyLimits& limits) {
    auto mapping = BERTH_TRY_CTX(sys::rootlessIdMapping(), "extract layer (rootless)");
    ApplyLimits inner = limits;
    inner.inUserNamespace = true;
    if (mapping.singleId()) inner.ownersBestEffort = true;
    auto text = BERTH_TRY(sys::runHelperInUserNamespace(
        limits.layerHelper, mapping, {"apply", dest.string(), encodeLimits(inner)}, input.get(),
        [&]() -> Result<std::string> { return encode(BERTH_TRY(applyLayer(input, dest, inner))); }));
    return decode(text, "extract layer (rootless)");
}

std::string encodeLimits(const ApplyLimits& l) {
    nlohmann::json j{{"maxBytes", l.maxBytes},     {"maxEntries", l.maxEntries},
                     {"maxRatio", l.maxRatio},     {"ratioGraceBytes", l.ratioGraceBytes},
                     {"ownersBestEffort", l.ownersBestEffort}, {"allowDevices", l.allowDevices},
                     {"inUserNamespace", l.inUserNamespace}};
    return j.dump();
}

Result<ApplyLimits> decodeLimits(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(Errc::InvalidArgument, "bad layer limits: " + text);
    ApplyLimits l;
    l.maxBytes = j.value("maxBytes", l.maxBytes);
    l.maxEntries = j.value("maxEntries", l.maxEntries);
    l.maxRatio = j.value("maxRatio", l.maxRatio);
    l.ratioGraceBytes = j.value("ratioGraceBytes", l.ratioGraceBytes);
    l.ownersBestEffort = j.value("ownersBestEffort", l.ownersBestEffort);
    l.allowDevices = j.value("allowDevices", l.allowDevices);
    l.inUserNamespace = j.value("inUserNamespace", l.inUserNamespace);
    return l;
}

int layerHelperMain(int argc, char** argv) {
    std::vector<std::string> a(argv + 1, argv + argc);
    auto op = [&]() -> Result<std::string> {
        if (a.size() == 3 && a[0] == "apply") {
            auto limits = BERTH_TRY(decodeLimits(a[2]));
            return encode(BERTH_TRY(applyLayer(sys::BorrowedFd(6), a[1], limits)));
        }
        if (a.size() == 3 && a[0] == "write-tar")
            // Already inside the user namespace: the helper's own (default) settings.
            return encode(BERTH_TRY(writeLayerTar(a[1], sys::BorrowedFd(6), a[2] == "1", EngineSettings{})));
        if (a.size() == 2 && a[0] == "remove") {
            BERTH_TRYV(sys::removeAll(a[1]));
            return std::string();
        }
        if (a.size() == 1 && a[0] == "probe") {
            // Where the work runs (tests: the helper program, not a fork of the caller).
            std::error_code ec;
            auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
            return "exe=" + exe.string() + " uid=" + std::to_string(::getuid()) + " gid=" + std::to_string(::getgid());
        }
        return fail(Errc::InvalidArgument, "berth-layer-helper: unknown operation");
    };
    return sys::userNamespaceHelperMain(op);
}

} // namespace berth::image
