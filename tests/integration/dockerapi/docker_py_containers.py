#!/usr/bin/env python3
"""docker-py against `berth system service` (DOCKER_HOST from the environment): a detached
container, its log streamed, exec_run N times with every output checked, stop, remove.
Prints one line per check; exits non-zero on the first failure."""
import sys

import docker

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def main():
    client = docker.from_env(timeout=120)
    c = client.containers.run("busybox", ["sh", "-c", "echo ready; while true; do sleep 1; done"],
                              detach=True, name="pyrun", labels={"com.docker.compose.project": "py"})
    c.reload()
    assert c.status == "running", c.status
    assert c.labels == {"com.docker.compose.project": "py"}, c.labels
    print("run detach: ok")

    stream = c.logs(stream=True, follow=True)
    first = next(stream)
    assert first == b"ready\n", first
    stream.close()
    print("logs stream: ok")

    for i in range(N):
        code, out = c.exec_run(["echo", "line %d" % i])
        if code != 0 or out != ("line %d\n" % i).encode():
            print("exec_run %d: code %r output %r" % (i, code, out))
            return 1
    print("exec_run x%d: ok" % N)

    code, out = c.exec_run(["sh", "-c", "echo out; echo err >&2; exit 4"], demux=True)
    assert code == 4 and out == (b"out\n", b"err\n"), (code, out)
    print("exec_run demux and exit code: ok")

    c.stop(timeout=1)
    c.reload()
    assert c.status == "exited", c.status
    c.remove()
    try:
        client.containers.get("pyrun")
        print("removed container still there")
        return 1
    except docker.errors.NotFound:
        pass
    print("stop and remove: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
