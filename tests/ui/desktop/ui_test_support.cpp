#include "ui_test_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

namespace berth::test {

std::unique_ptr<UiStore> openUiStore(bool withDemoImage, QString* error) {
    auto s = std::make_unique<UiStore>();
    if (withDemoImage) {
        const char* src = std::getenv("BERTH_SOURCE_DIR");
        const std::string script = std::string(src ? src : ".") + "/installer/demo-image.sh";
        auto r = runCommand({"bash", script, builtProgram("berth").string()}, 120000,
                            {"BERTH_ROOT=" + s->root().string()});
        if (r.exitCode != 0) {
            *error = QStringLiteral("demo-image.sh failed (%1): %2%3")
                         .arg(r.exitCode)
                         .arg(QString::fromStdString(r.out), QString::fromStdString(r.err));
            return nullptr;
        }
    }
    EngineOptions options;
    options.root = s->root();
    // runRoot left empty: the engine picks it from the root by the rule `berth --root` uses,
    // so the window and the CLI the tests run see the same containers' run-time state.
    auto engine = openEngine(options);
    if (!engine) {
        *error = QString::fromStdString(engine.error().message());
        return nullptr;
    }
    s->engine = std::move(*engine);
    s->client = std::make_unique<ui::EngineClient>(*s->engine);
    return s;
}

bool waitUntil(const std::function<bool()>& pred, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

} // namespace berth::test
