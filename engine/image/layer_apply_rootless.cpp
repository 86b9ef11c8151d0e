#include "image/layer_apply_rootless.h"

#include "image/layer_write.h"
#include "sys/userns.h"

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

Result<ApplyResult> writeLayerTarInUserNamespace(const std::filesystem::path& dir, sys::BorrowedFd out, bool gzip) {
    auto mapping = BERTH_TRY_CTX(sys::rootlessIdMapping(), "write layer (rootless)");
    auto text = BERTH_TRY(sys::runInUserNamespace(mapping, [&]() -> Result<std::string> {
        return encode(BERTH_TRY(writeLayerTar(dir, out, gzip)));
    }));
    return decode(text, "write layer (rootless)");
}

Result<ApplyResult> applyLayerInUserNamespace(sys::BorrowedFd input, const std::filesystem::path& dest,
                                              const ApplyLimits& limits) {
    auto mapping = BERTH_TRY_CTX(sys::rootlessIdMapping(), "extract layer (rootless)");
    ApplyLimits inner = limits;
    inner.inUserNamespace = true;
    if (mapping.singleId()) inner.ownersBestEffort = true;
    auto text = BERTH_TRY(sys::runInUserNamespace(mapping, [&]() -> Result<std::string> {
        return encode(BERTH_TRY(applyLayer(input, dest, inner)));
    }));
    return decode(text, "extract layer (rootless)");
}

} // namespace berth::image
