#!/usr/bin/env python3
"""docker-py's images.build against `berth system service` (DOCKER_HOST from the
environment). Argument: a context folder (Dockerfile with ARG GREETING, COPY, RUN; a
.dockerignore leaving out secret.txt). Builds it from the folder, a Dockerfile from a file
object, a gzip context given as a custom context, and a failing one; runs what was built.
Prints one line per check; exits non-zero on the first failure."""
import io
import sys
import tarfile

import docker


def stream_of(logs):
    return "".join(chunk.get("stream", "") for chunk in logs)


def main():
    context = sys.argv[1]
    client = docker.from_env(timeout=300)

    image, logs = client.images.build(path=context, tag="py/built:1", buildargs={"GREETING": "py"}, rm=True)
    logs = list(logs)
    text = stream_of(logs)
    assert "py/built:1" in image.tags, image.tags
    assert "Step 1/4 : FROM busybox" in text, text
    assert any("aux" in c and c["aux"]["ID"] == image.id for c in logs), logs
    out = client.containers.run("py/built:1", remove=True)
    assert out == b"from the context\npy from run\n", out
    listed = client.containers.run("py/built:1", ["ls", "/ctx"], remove=True).decode()
    assert "greeting.txt" in listed and "secret.txt" not in listed, listed
    print("build from a folder: ok")

    dockerfile = io.BytesIO(b"FROM busybox\nRUN echo from-fileobj > /f\nCMD [\"cat\", \"/f\"]\n")
    image, _ = client.images.build(fileobj=dockerfile, tag="py/fileobj")
    assert client.containers.run(image.id, remove=True) == b"from-fileobj\n"
    print("build from a file object: ok")

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = b"FROM busybox\nLABEL made=gzip\n"
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    image, _ = client.images.build(fileobj=buf, custom_context=True, encoding="gzip", tag="py/gzip")
    assert image.labels.get("made") == "gzip", image.labels
    print("build from a gzip context: ok")

    failing = io.BytesIO(b"FROM busybox\nRUN echo py-before && exit 5\n")
    try:
        client.images.build(fileobj=failing, tag="py/failed")
        print("a failing build returned an image")
        return 1
    except docker.errors.BuildError as e:
        assert "exit code: 5" in e.msg, e.msg
        assert "py-before" in stream_of(e.build_log), list(e.build_log)
    try:
        client.images.get("py/failed")
        print("the failed build was tagged")
        return 1
    except docker.errors.ImageNotFound:
        pass
    print("failing build: ok")

    for name in ("py/built:1", "py/fileobj", "py/gzip"):
        client.images.remove(name)
    print("all: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
