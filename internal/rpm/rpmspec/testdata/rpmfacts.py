#!/usr/bin/python3
"""Ask real rpm (python3-rpm) for the facts of spec files.

Usage: RPM_CONFIGDIR=<dir> /usr/bin/python3 rpmfacts.py [-j N] < list-of-spec-paths

Prints one JSON object per spec (in input order): path, ok, error, name, epoch,
version, release, sources [[num, value, flags]...], packages [names], seconds.
Each spec is parsed in a forked child (rpm keeps global macro state), with
_sourcedir set to the spec's directory, at most N (default 2) at a time.
"""
import json
import os
import select
import sys
import tempfile
import time

import rpm

TIMEOUT = 120


def facts(path):
    rpm.addMacro("_sourcedir", os.path.dirname(os.path.abspath(path)))
    spec = rpm.spec(path)
    h = spec.sourceHeader
    epoch = h["epoch"]
    return {
        "name": h["name"],
        "epoch": "" if epoch is None else str(epoch),
        "version": h["version"],
        "release": h["release"],
        "sources": [[num, name, flags] for name, num, flags in spec.sources],
        "packages": [p.header["name"] for p in spec.packages],
    }


def child(path, wfd):
    log = tempfile.TemporaryFile()
    os.dup2(log.fileno(), 2)
    try:
        res = {"ok": True, **facts(path)}
    except Exception as e:  # rpm raises ValueError on parse errors
        log.seek(0)
        msg = log.read().decode("utf-8", "replace").strip().splitlines()
        res = {"ok": False, "error": (msg[-1] if msg else str(e))[:500]}
    os.write(wfd, json.dumps(res).encode())
    os._exit(0)


def start(path):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        child(path, w)
    os.close(w)
    return {"path": path, "pid": pid, "fd": r, "buf": b"", "t0": time.time()}


def main():
    jobs = 2
    if len(sys.argv) > 2 and sys.argv[1] == "-j":
        jobs = int(sys.argv[2])
    paths = [l.strip() for l in sys.stdin if l.strip()]
    results = {}
    running = []
    todo = list(paths)
    emitted = 0
    while todo or running:
        while todo and len(running) < jobs:
            running.append(start(todo.pop(0)))
        ready, _, _ = select.select([j["fd"] for j in running], [], [], 1.0)
        now = time.time()
        for j in list(running):
            done = False
            if j["fd"] in ready:
                chunk = os.read(j["fd"], 1 << 20)
                if chunk:
                    j["buf"] += chunk
                else:
                    done = True
            if not done and now - j["t0"] > TIMEOUT:
                os.kill(j["pid"], 9)
                j["buf"] = json.dumps({"ok": False, "error": "timeout"}).encode()
                done = True
            if done:
                os.close(j["fd"])
                os.waitpid(j["pid"], 0)
                running.remove(j)
                try:
                    res = json.loads(j["buf"] or b"{}")
                except ValueError:
                    res = {}
                if not res:
                    res = {"ok": False, "error": "rpm crashed"}
                res["path"] = j["path"]
                res["seconds"] = round(now - j["t0"], 4)
                results[j["path"]] = res
        while emitted < len(paths) and paths[emitted] in results:
            print(json.dumps(results.pop(paths[emitted])), flush=True)
            emitted += 1


if __name__ == "__main__":
    main()
