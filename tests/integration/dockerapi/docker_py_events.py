#!/usr/bin/env python3
"""docker-py follows events live against `berth system service` (DOCKER_HOST from the
environment): the stream is opened first, then a labelled container runs and exits; its
create, start and die arrive (die with the exit code), each with the label, and nothing of
another project does. Prints one line per check; exits non-zero on the first failure."""
import sys

import docker


def main():
    client = docker.from_env(timeout=120)
    events = client.events(decode=True, filters={"label": "com.docker.compose.project=pyev", "type": "container"})
    other = client.containers.run("busybox", ["true"], detach=True, name="pyev-other",
                                  labels={"com.docker.compose.project": "elsewhere"})
    c = client.containers.run("busybox", ["sh", "-c", "exit 7"], detach=True, name="pyev",
                              labels={"com.docker.compose.project": "pyev"})
    seen = []
    for e in events:
        assert e["Actor"]["Attributes"].get("com.docker.compose.project") == "pyev", e
        assert e["Actor"]["Attributes"].get("name") == "pyev", e
        seen.append(e["Action"])
        if e["Action"] == "die":
            assert e["Actor"]["Attributes"]["exitCode"] == "7", e
            break
    events.close()
    assert seen[:2] == ["create", "start"], seen
    print("events(decode=True) with a label filter: ok")
    c.wait()
    c.remove()
    other.wait()
    other.remove()
    print("all: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
