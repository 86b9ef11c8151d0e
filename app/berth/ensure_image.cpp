#include "ensure_image.h"

#include "pull_progress.h"

#include <fmt/format.h>

namespace berth::cli {

void addImagePullFlags(CLI::App* verb, ImagePullFlags& f) {
    verb->add_option("--pull", f.policy, "Pull image before running (\"always\", \"missing\", \"never\")")
        ->check(CLI::IsMember({"always", "missing", "never"}));
    verb->add_option("--platform", f.platform, "Platform os/arch[/variant] to pull (default: this host's)");
    verb->add_flag("--tls-verify{true}", f.tlsVerify, "Verify the registry's TLS certificate when pulling (default true)");
    verb->add_option("--cert-dir", f.certDir, "certs.d-style directory (<registry>/ca.crt, client.cert, client.key) used when pulling");
}

void ensureImage(CliContext& ctx, const std::string& image, const ImagePullFlags& f) {
    if (image.empty()) return;  // create reports the missing argument
    auto& images = ctx.engine().images();
    if (f.policy != "always") {
        auto found = images.resolve(image);
        if (found) return;
        // Anything but "not there" (a malformed reference...) is create's to report.
        if (found.error().code() != Errc::NotFound) return;
    }
    auto familiar = familiarReference(image);
    std::string shown = familiar ? *familiar : image;
    if (f.policy == "never")
        throw CliError{fmt::format("Unable to find image '{}' locally, and --pull=never forbids pulling it",
                                   shown), 125};
    if (!familiar) throw CliError{familiar.error().message(), 125};
    if (f.policy != "always") {
        fmt::print(stderr, "Unable to find image '{}' locally\n", shown);
        std::fflush(stderr);
    }
    PullRequest request;
    request.reference = image;
    request.platform = f.platform;
    request.registry.tlsVerify = f.tlsVerify;
    request.registry.certDir = f.certDir;
    PullPrinter printer(stderr);
    auto result = images.pull(request, printer.callback());
    if (!result) throw CliError{result.error().message(), 125};
    printer.summary(*result, false);
}

} // namespace berth::cli
