// /containers/{id}/archive, docker cp's endpoints, through berth::Containers' statPath,
// copyFrom and copyTo (the engine resolves every path inside the container's root): HEAD
// answers the path's stat in X-Docker-Container-Path-Stat (base64 of docker's JSON, the
// mode in Go's FileMode bits), GET sends a tar of the path with that header, PUT extracts
// the uploaded tar into the directory `path` (noOverwriteDirNonDir, copyUIDGID).
#include "api_error.h"
#include "routes.h"
#include "temp_file.h"

#include "berth/engine.h"
#include "berth/text.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

// st_mode in Go's os.FileMode bits, as docker's clients read the stat's "mode".
uint32_t goFileMode(uint32_t st) {
    uint32_t m = st & 0777;
    switch (st & S_IFMT) {
    case S_IFDIR: m |= 1u << 31; break;
    case S_IFLNK: m |= 1u << 27; break;
    case S_IFBLK: m |= 1u << 26; break;
    case S_IFCHR: m |= (1u << 26) | (1u << 21); break;
    case S_IFIFO: m |= 1u << 25; break;
    case S_IFSOCK: m |= 1u << 24; break;
    default: break;
    }
    if (st & S_ISUID) m |= 1u << 23;
    if (st & S_ISGID) m |= 1u << 22;
    if (st & S_ISVTX) m |= 1u << 20;
    return m;
}

// The stat of `path`: the container's 404 when it does not exist, docker's "Could not
// find the file" 404 when the path does not.
ContainerPathStat stat(Engine& engine, const Request& req) {
    const std::string& path = req.query.get("path");
    if (path.empty()) badRequest("path must be given");
    const std::string id = check(engine.containers().inspect(req.param("id"))).summary.id;
    auto st = engine.containers().statPath(id, path);
    if (!st && st.error().code() == Errc::NotFound)
        notFound("Could not find the file " + path + " in container " + req.param("id"));
    return check(std::move(st));
}

Header statHeader(const ContainerPathStat& st) {
    json j{{"name", st.name},
           {"size", st.size},
           {"mode", goFileMode(st.mode)},
           {"mtime", formatTimeNano(st.mtimeNano)},
           {"linkTarget", st.linkTarget}};
    return {"X-Docker-Container-Path-Stat", base64Encode(j.dump())};
}

// Closes an fd when it goes out of scope.
struct FdCloser {
    int fd = -1;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

// The engine writes the tar into a pipe from a thread of its own; the handler sends what
// comes out. A client that goes away closes the pipe's reading end, so the engine's next
// write fails and its thread ends.
void get(Engine& engine, Request& req, Response& res) {
    const ContainerPathStat st = stat(engine, req);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw ApiError(500, std::string("pipe: ") + std::strerror(errno));
    const std::string id = req.param("id"), path = req.query.get("path");
    std::jthread writer([&engine, id, path, out = fds[1]] {
        (void)engine.containers().copyFrom(id, path, out);  // a failure ends the tar short
        ::close(out);
    });
    FdCloser readEnd{fds[0]};  // closed before the writer is joined
    ChunkSink& sink = res.stream(200, "application/x-tar", {statHeader(st)});
    std::string buf(1 << 16, '\0');
    for (;;) {
        ssize_t n = ::read(readEnd.fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || !sink.write(std::string_view(buf.data(), size_t(n)))) break;
    }
}

void put(Engine& engine, Request& req, Response& res) {
    const ContainerPathStat st = stat(engine, req);
    if (!S_ISDIR(st.mode)) badRequest("extraction point is not a directory");
    TempFile file("archive");
    spoolBody(req, file);
    file.rewind();
    CopyInOptions o;
    o.noOverwriteDirNonDir = req.query.boolean("noOverwriteDirNonDir");
    o.keepOwners = req.query.boolean("copyUIDGID");
    check(engine.containers().copyTo(req.param("id"), req.query.get("path"), file.fd(), o));
    res.text(200, "");
}

} // namespace

void addArchiveRoutes(Router& router, Engine& engine) {
    router.add("HEAD", "/containers/{id}/archive",
               [&engine](Request& req, Response& res) { res.send(200, "", "", {statHeader(stat(engine, req))}); });
    router.add("GET", "/containers/{id}/archive", [&engine](Request& req, Response& res) { get(engine, req, res); });
    router.add("PUT", "/containers/{id}/archive", [&engine](Request& req, Response& res) { put(engine, req, res); },
               {.streamsBody = true});
}

} // namespace berth::dockerapi
