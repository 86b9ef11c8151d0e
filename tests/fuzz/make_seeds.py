#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets: tests/fuzz/corpus/<target>/<seed>.

Run from anywhere; files are rewritten in place (their names say what they exercise).
The seeds are small inputs that reach each parser's interesting paths; libFuzzer grows
its own corpus from them (installer/dev.sh fuzz keeps that one in the build directory).
"""
import gzip
import io
import json
import os
import shutil
import subprocess
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
ROOT = os.path.dirname(os.path.dirname(HERE))
ESCAPE = "/tmp/berth-fuzz-escape"  # sandbox.h: must never appear


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def digest(c):
    return "sha256:" + (c * 64)[:64]


# --- dockerfile -----------------------------------------------------------------------
DOCKERFILES = {
    "multistage": """# syntax=docker/dockerfile:1
ARG BASE=busybox:1.36
FROM ${BASE} AS build
ENV A=1 B="two words" C=${A:-x}
WORKDIR /src
COPY --chown=1:1 --chmod=0644 a.txt b/ ./
RUN echo hi > /out && \\
    cat /out # comment inside
FROM scratch AS final
COPY --from=build /out /out
LABEL org.example.a="b" c=d
EXPOSE 80/tcp 53/udp
VOLUME ["/data", "/cache"]
USER 1000:1000
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo", "done"]
""",
    "heredoc": """FROM busybox
RUN <<EOF
echo one
echo two
EOF
RUN <<-'QUOTED' cat > /x
\tno $expansion here
\tQUOTED
COPY <<A <<B /dest/
a body
A
b body
B
""",
    "escape_backtick": """# escape=`
FROM busybox
RUN echo a `
    b
COPY C:\\src C:\\dst
""",
    "healthcheck": """FROM busybox
HEALTHCHECK --interval=1m30s --timeout=200ms --start-period=1.5h --start-interval=5s --retries=3 CMD ["wget", "-q", "localhost"]
HEALTHCHECK NONE
STOPSIGNAL SIGTERM
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
ONBUILD RUN echo child
ONBUILD COPY . /app
MAINTAINER someone
ADD --chown=root https://example.invalid/x.tgz /x
ARG NOVALUE
ARG x=1 y z="a b"
""",
    "crlf_continuation": "FROM busybox\r\nRUN a \\\r\n  # a comment line\r\n  b\r\n\r\nENV K V with spaces\r\n",
    "json_forms": 'FROM busybox\nRUN ["sh", "-c", "echo \\"q\\" \\u0041"]\nCMD [ ]\nENTRYPOINT [\"a\",\n',
    "errors": "FROM\nCOPPY a b\nENV\nHEALTHCHECK --interval=xyz CMD x\nFROM a AS\n",
}

# --- shell words (first byte: escape choice) ---------------------------------------------
WORDS = [
    "\x00$HOME ${a} ${a:-b} ${a-b} ${zz:-def} ${a:+alt} ${zz+alt}",
    "\x00${EMPTY:?must be set} ${zz?unset}",
    "\x00${SPACES#* } ${SPACES##*a} ${QUOTES%\\\\} ${STAR%%*}",
    "\x00'single $a' \"double $a ${b}\" \\$a \\\\ \\\"",
    "\x00${a:-${b:-${c}}} $$ $ ${ ${} ${a",
    "\x01`$HOME `` ``$a \"x`\"y\"",
    "\x00  leading and trailing  \t words\n",
]

# --- references --------------------------------------------------------------------------
REFERENCES = [
    "busybox", "library/busybox:1.36", "docker.io/library/busybox:latest",
    "index.docker.io/me/app", "localhost:5000/a/b/c:tag", "localhost/app",
    "quay.io/org/app@" + digest("a"), "reg.example.com:443/x/y:1.0-rc_1@" + digest("0"),
    "[::1]:5000/app:1", "a" * 64, "UPPER/app", "app:", "a/b:c:d", "a..b", "a__b-c.d",
    "linux/amd64", "linux/arm/v7", "windows/amd64/", "linux",
]

# --- manifests (first line: Content-Type) -----------------------------------------------
def manifest_seeds():
    layer = {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
             "digest": digest("b"), "size": 32}
    oci = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                      "digest": digest("c"), "size": 100},
           "layers": [layer, dict(layer, mediaType="application/vnd.oci.image.layer.v1.tar+zstd"),
                      {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                       "digest": digest("d"), "size": 5, "urls": ["https://example.invalid/l"]}]}
    docker = {"schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                         "digest": digest("e"), "size": 7},
              "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                          "digest": digest("f"), "size": 9}]}
    entries = [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest("1"),
         "size": 500, "platform": {"os": "linux", "architecture": "amd64"}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest("2"),
         "size": 500, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest("3"),
         "size": 500, "platform": {"os": "linux", "architecture": "arm", "variant": "v6"}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest("4"),
         "size": 500, "platform": {"os": "unknown", "architecture": "unknown"}},
    ]
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": entries}
    dlist = {"schemaVersion": 2,
             "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
             "manifests": entries[:2]}
    return {
        "oci_manifest": "application/vnd.oci.image.manifest.v1+json\n" + json.dumps(oci),
        "docker_manifest": "application/vnd.docker.distribution.manifest.v2+json\n" + json.dumps(docker),
        "oci_index": "application/vnd.oci.image.index.v1+json\n" + json.dumps(index),
        "docker_list": "application/json\n" + json.dumps(dlist),
        "no_media_type": "\n" + json.dumps({k: v for k, v in oci.items() if k != "mediaType"}),
        "schema1": "application/vnd.docker.distribution.manifest.v1+prettyjws\n" +
                   json.dumps({"schemaVersion": 1, "fsLayers": []}),
        "bad_digest": "application/vnd.oci.image.manifest.v1+json\n" +
                      json.dumps(dict(oci, layers=[dict(layer, digest="sha256:XYZ", size=-1)])),
    }


def image_config_seeds():
    cfg = {"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
           "author": "x",
           "config": {"Env": ["PATH=/bin", "A=b=c"], "Entrypoint": ["/bin/sh"], "Cmd": ["-c", "x"],
                      "WorkingDir": "/w", "User": "1000:1000", "StopSignal": "SIGINT",
                      "ExposedPorts": {"80/tcp": {}}, "Volumes": {"/data": {}},
                      "Labels": {"a": "b", "n": 1}},
           "rootfs": {"type": "layers", "diff_ids": [digest("a"), digest("b")]},
           "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "RUN x", "empty_layer": True},
                       {"comment": "c"}]}
    return {
        "full": json.dumps(cfg),
        "minimal": json.dumps({"rootfs": {"type": "layers", "diff_ids": []}}),
        "nulls": json.dumps({"config": {"Env": None, "Cmd": [None, 1]}, "rootfs": {"type": "layers",
                                                                                 "diff_ids": ["x"]}}),
        "nested": "[" * 50 + "]" * 50,
    }


CHALLENGES = [
    'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull"',
    'Basic realm="Registry Realm"',
    'Bearer realm="https://a/t", error="insufficient_scope", Basic realm="x", Negotiate',
    'bearer REALM=unquoted, service = spaced , scope="escaped \\" quote"',
    ', , Bearer ,realm="" ,=x',
    "dXNlcjpwYXNzd29yZA==",
    "dXNlcjo=",
]


def seccomp_seeds():
    with open(os.path.join(ROOT, "resources", "seccomp-default.json"), "rb") as f:
        default = f.read()
    small = {
        "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
        "syscalls": [
            {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
            {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
            {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
             "excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390x"]}},
            {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
            {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
             "includes": {"minKernel": "4.8"}},
            {"names": ["no_such_syscall"], "action": "SCMP_ACT_KILL_PROCESS"},
            {"names": ["kill"], "action": "SCMP_ACT_LOG"},
            {"names": ["tkill"], "action": "SCMP_ACT_TRACE", "errnoRet": 1},
        ]}
    return {
        "default_profile": b"\x00" + default,
        "default_profile_admin": b"\x01" + default,
        "small": b"\x00" + json.dumps(small).encode(),
        "no_caps": b"\x02" + json.dumps(small).encode(),
        "unconfined_like": b"\x00" + json.dumps({"defaultAction": "SCMP_ACT_ALLOW"}).encode(),
        "bad_action": b"\x00" + json.dumps({"defaultAction": "SCMP_ACT_NOTIFY", "syscalls": [
            {"names": ["read"], "action": "SCMP_ACT_BOGUS", "args": [{"index": 9, "op": "SCMP_CMP_XX"}]}]}).encode(),
    }


DOCKERIGNORES = {
    "basic": "# comment\n*.log\n!keep.log\n/build\n**/node_modules\ntemp?\n[a-c]*.txt\n\\!literal\n"
             "--\nkeep.log\na.log\nbuild/x\nsrc/node_modules/m/index.js\ntemp1\nb.txt\n!literal\n",
    "double_star": "**\n!src/**/*.go\n**/*.tmp\ndocs/**\n--\nsrc/a/b/c.go\nsrc/x.tmp\ndocs\ndocs/a\n",
    "classes": "[!a]*\n[^b]x\n[\\]]\n[a-]\n\\*\n*\\?\n--\nzz\nbx\n]\n*\n",
    "dots": "./a/../b\n/../../c\n.\n..\n!\n  spaced  \n--\nb\nc\n.\n../x\na//b/./c\n",
    "bad": "[\nabc\\\n--\nabc\n",
}


# --- tar streams ------------------------------------------------------------------------
def tarball(entries, fmt=tarfile.PAX_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for e in entries:
            info = tarfile.TarInfo(e["name"])
            info.type = e.get("type", tarfile.REGTYPE)
            info.mode = e.get("mode", 0o644)
            info.uid = e.get("uid", 0)
            info.gid = e.get("gid", 0)
            info.mtime = e.get("mtime", 1700000000)
            info.linkname = e.get("link", "")
            info.devmajor = e.get("major", 0)
            info.devminor = e.get("minor", 0)
            if "pax" in e:
                info.pax_headers = e["pax"]
            data = e.get("data", b"")
            if info.type == tarfile.REGTYPE:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)
    # tarfile pads to 10 KiB records; the end marker (two zero blocks) is all a reader needs.
    data = buf.getvalue().rstrip(b"\0")
    data += b"\0" * (-len(data) % 512)
    return data + b"\0" * 1024


def tar_seeds():
    D, F, L, H = tarfile.DIRTYPE, tarfile.REGTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
    seeds = {
        "plain": tarball([
            {"name": "etc/", "type": D, "mode": 0o755},
            {"name": "etc/passwd", "data": b"root:x:0:0:root:/root:/bin/sh\n"},
            {"name": "etc/shadow", "data": b"root:*::0:::::\n", "mode": 0o600},
            {"name": "bin/", "type": D},
            {"name": "bin/sh", "data": b"\x7fELF", "mode": 0o4755},
            {"name": "bin/ash", "type": H, "link": "bin/sh"},
            {"name": "bin/ls", "type": L, "link": "sh"},
            {"name": "tmp/", "type": D, "mode": 0o1777},
            {"name": "setgid/", "type": D, "mode": 0o2775, "gid": 50},
            {"name": "setgid/file", "data": b"x", "uid": 1000, "gid": 1000},
        ]),
        "whiteouts": tarball([
            {"name": "a/", "type": D},
            {"name": "a/.wh..wh..opq"},
            {"name": "a/.wh.gone"},
            {"name": ".wh..wh.plnk/"},
            {"name": "b/.wh.."},
            {"name": ".wh."},
        ]),
        "special": tarball([
            {"name": "dev/", "type": D},
            {"name": "dev/null", "type": tarfile.CHRTYPE, "major": 1, "minor": 3, "mode": 0o666},
            {"name": "dev/sda", "type": tarfile.BLKTYPE, "major": 8, "minor": 0},
            {"name": "dev/fifo", "type": tarfile.FIFOTYPE},
            {"name": "xattr", "data": b"x", "pax": {"SCHILY.xattr.user.k": "v",
                                                   "SCHILY.xattr.trusted.overlay.opaque": "y",
                                                   "SCHILY.xattr.security.capability": "\x01"}},
            {"name": "long/" + "n" * 200 + "/" + "m" * 120, "data": b"long name"},
            {"name": "sparse", "data": b"", "pax": {"size": "0"}},
        ]),
        "gnu": tarball([
            {"name": "g" * 150, "data": b"gnu longname"},
            {"name": "gl", "type": L, "link": "t" * 150},
        ], fmt=tarfile.GNU_FORMAT),
        "ustar": tarball([{"name": "u/", "type": D}, {"name": "u/v", "data": b"ustar"}],
                         fmt=tarfile.USTAR_FORMAT),
        # Each of these must be refused or stay inside the layer.
        "escape_dotdot": tarball([{"name": "../escaped", "data": b"x"},
                                  {"name": "a/../../escaped2", "data": b"x"}]),
        "escape_absolute": tarball([{"name": ESCAPE, "data": b"x"},
                                    {"name": "/etc/passwd", "data": b"x"}]),
        "escape_symlink_dir": tarball([{"name": "out", "type": L, "link": "/tmp"},
                                       {"name": "out/berth-fuzz-escape", "data": b"x"}]),
        "escape_symlink_rel": tarball([{"name": "up", "type": L, "link": "../.."},
                                       {"name": "up/canary", "data": b"overwritten"},
                                       {"name": "c", "type": L, "link": "../canary"},
                                       {"name": "c", "data": b"through the link"}]),
        "escape_symlink_file": tarball([{"name": "e", "type": L, "link": ESCAPE},
                                        {"name": "e", "data": b"x"},
                                        {"name": "h", "type": H, "link": "e", "data": b"y"}]),
        "escape_hardlink": tarball([{"name": "h1", "type": H, "link": "../canary"},
                                    {"name": "h2", "type": H, "link": "/tmp/berth-fuzz-escape"},
                                    {"name": "h3", "type": H, "link": "h3"}]),
        "escape_dir_then_link": tarball([{"name": "d/", "type": D},
                                         {"name": "d/f", "data": b"x"},
                                         {"name": "d", "type": L, "link": "../cwd"},
                                         {"name": "d/f", "data": b"y"}]),
        "replace_dir": tarball([{"name": "x/", "type": D}, {"name": "x/y/", "type": D},
                                {"name": "x/y/z", "data": b"z"}, {"name": "x", "data": b"now a file"},
                                {"name": "x/", "type": D, "mode": 0}]),
        "root_entry": tarball([{"name": "./", "type": D, "mode": 0o700},
                               {"name": ".", "type": L, "link": "/"}]),
    }
    out = {}
    for name, data in seeds.items():
        out[name] = data
    out["plain.gz"] = gzip.compress(seeds["plain"], mtime=0)
    out["escape_symlink_rel.gz"] = gzip.compress(seeds["escape_symlink_rel"], mtime=0)
    if shutil.which("zstd"):
        out["plain.zst"] = subprocess.run(["zstd", "-q", "-c", "--no-check"], input=seeds["plain"],
                                          capture_output=True, check=True).stdout
    out["truncated.gz"] = out["plain.gz"][:60]
    out["empty"] = b""
    out["zeros"] = b"\0" * 1024
    return out


PASSWD = ("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
          "app:x:1000:1000::/home/app:/bin/sh\n# comment\nbroken line\nneg:x:-1:-1:::\n")
GROUP = "root:x:0:\nwheel:x:10:app,root\napp:x:1000:\nstaff:x:50:app\n"
USER_SPECS = ["", "root", "app", "1000", "1000:50", "app:staff", "app:wheel", "0:0", "4294967295",
              "99999999999", "nobody:nogroup", "unknown", "app:", ":", "1000:app"]


def http(method, target, body=b"", headers=()):
    head = f"{method} {target} HTTP/1.1\r\nHost: docker\r\n"
    for h in headers:
        head += h + "\r\n"
    if body and not any(h.lower().startswith("transfer-encoding") for h in headers):
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def api_seeds():
    create = json.dumps({"Image": "busybox", "Cmd": ["sh", "-c", "true"], "Env": ["A=b"],
                         "HostConfig": {"Binds": ["/a:/b:ro"], "Memory": 1 << 20}}).encode()
    filters = "%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%2C%22dangling%22%3A%5B%22true%22%5D%7D"
    return {
        "ping": http("GET", "/_ping"),
        "head_ping_http10": b"HEAD /v1.41/_ping HTTP/1.0\r\n\r\n",
        "version": http("GET", "/v1.44/version"),
        "create": http("POST", "/v1.43/containers/create?name=web&platform=linux%2Famd64", create,
                       ["Content-Type: application/json"]),
        "image_name_slashes": http("GET", "/images/localhost:5000/a/b:1/json?filters=" + filters +
                                   "&all=1&since=1700000000.5&tail=10"),
        "delete_image": http("DELETE", "/v1.24/images/sha256:" + "a" * 64 + "?force=True&noprune=0"),
        "chunked_build": http("POST", "/build?t=x", b"5\r\nhello\r\n0\r\n\r\n",
                              ["Transfer-Encoding: chunked", "Content-Type: application/x-tar"]),
        "pipelined": http("GET", "/_ping") + http("GET", "/containers/abc/json?size=1") + http("GET", "/version"),
        "old_and_new_versions": http("GET", "/v1.12/_ping") + http("GET", "/v1.99/version"),
        "upgrade": http("POST", "/containers/x/attach?stream=1", headers=["Connection: Upgrade", "Upgrade: tcp"]),
        "bad_escape": http("GET", "/containers/%zz/json?a=%2"),
        "bad_json": http("POST", "/containers/create", b'{"Image": [1, {"x": ', ["Content-Type: application/json"]),
        "options": http("OPTIONS", "/anything"),
        "garbage": b"\x00\xff GET / HTTP/9.9\r\n\r\n",
    }


def main():
    for name, text in DOCKERFILES.items():
        write("dockerfile", name, text)
    for i, w in enumerate(WORDS):
        write("shell_words", f"words{i}", w)
    for i, r in enumerate(REFERENCES):
        write("reference", f"ref{i}", r)
    for name, m in manifest_seeds().items():
        write("manifest", name, m)
    for name, c in image_config_seeds().items():
        write("image_config", name, c)
    for i, c in enumerate(CHALLENGES):
        write("auth_challenge", f"challenge{i}", c)
    for name, p in seccomp_seeds().items():
        write("seccomp_profile", name, p)
    for name, t in DOCKERIGNORES.items():
        write("dockerignore", name, t)
    for i, spec in enumerate(USER_SPECS):
        write("user_lookup", f"spec{i}", PASSWD + "\n--\n" + GROUP + "\n--\n" + spec)
    for name, r in api_seeds().items():
        write("dockerapi_request", name, r)
    for name, t in tar_seeds().items():
        write("layer_tar", name, t)
        write("context_tar", name, t)


if __name__ == "__main__":
    main()
