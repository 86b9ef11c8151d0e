// `berth attach CONTAINER`: docker's attach to a running container. Its output streams
// live; our stdin goes to it when it was created with -i (unless --no-stdin); ctrl-p
// ctrl-q detaches from a -t container and leaves it running; we exit with its exit code.
#include "container_cli.h"

#include "attach_session.h"

#include <memory>

namespace berth::cli {

void addAttachVerb(CLI::App& parent, CliContext& ctx) {
    struct AttachFlags {
        bool noStdin = false;
        bool sigProxy = true;
        std::string detachKeys;
        std::string container;
    };
    auto f = std::make_shared<AttachFlags>();
    auto* sub = addVerb(parent, "attach", "Attach local standard input, output, and error streams to a running container",
                        ctx, [&ctx, f] {
        std::string keys = detachKeyBytes(f->detachKeys);
        auto& c = ctx.engine().containers();
        auto details = ctx.check(c.inspect(f->container));
        auto& o = details.request;
        AttachSession session({o.interactive && !f->noStdin, o.tty, f->sigProxy, keys});
        auto code = c.attach(f->container, session.io());
        if (!code) throw CliError{code.error().message(), 1};
        ctx.exitCode = *code == kDetached ? 0 : *code;
    });
    sub->add_flag("--no-stdin", f->noStdin, "Do not attach STDIN");
    sub->add_flag("--sig-proxy", f->sigProxy, "Proxy all received signals to the process (default true)");
    sub->add_option("--detach-keys", f->detachKeys, "Override the key sequence for detaching a container");
    sub->add_option("container", f->container, "Container (name, id or id prefix)")->required();
}

} // namespace berth::cli
