#!/usr/bin/env python3
"""docker-py's images against `berth system service` (DOCKER_HOST from the environment):
pull from the test registry, list, tag, save, remove, load back, remove. Arguments: the
repository in the registry (its tag 1 holds the busybox image) and busybox's image id.
Prints one line per check; exits non-zero on the first failure."""
import sys

import docker


def main():
    repo, busybox_id = sys.argv[1], sys.argv[2]
    client = docker.from_env(timeout=120)

    img = client.images.pull(repo, tag="1")
    assert img.id == busybox_id, (img.id, busybox_id)
    assert repo + ":1" in img.tags, img.tags
    print("pull: ok")

    listed = client.images.list(name=repo)
    assert [i.id for i in listed] == [busybox_id], listed
    print("list by name: ok")

    assert img.tag("pytag/bb", "x")
    assert client.images.get("pytag/bb:x").id == busybox_id
    print("tag: ok")

    data = b"".join(client.images.get("pytag/bb:x").save(named="pytag/bb:x"))
    assert len(data) > 1024, len(data)
    client.images.remove("pytag/bb:x")
    try:
        client.images.get("pytag/bb:x")
        print("removed tag still there")
        return 1
    except docker.errors.ImageNotFound:
        pass
    loaded = client.images.load(data)
    assert [i.id for i in loaded] == [busybox_id], loaded
    assert "pytag/bb:x" in client.images.get(busybox_id).tags
    print("save, remove, load: ok")

    client.images.remove("pytag/bb:x")
    client.images.remove(repo + ":1")
    print("all: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
