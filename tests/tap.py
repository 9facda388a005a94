#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs one test program of tests/run's protocol ("PASS <name>", "FAIL <name>",
"SKIP <name>: <reason>", other lines diagnostics) and prints its result as TAP for meson test.

    tap.py [--needs root,mountns,fuse,qemu,cmd:NAME,...] -- PROGRAM [ARGS...]

When a prerequisite in --needs is missing the whole test is skipped with the reason
("1..0 # SKIP ..."), so that `meson test` runs as a normal user; tests/run, which installs what
is missing and runs as root, skips nothing.
"""
import os
import shutil
import subprocess
import sys


def missing(need):
    """The reason a prerequisite is missing, or None."""
    if need == "root":
        return None if os.geteuid() == 0 else "needs root"
    if need == "mountns":
        try:
            r = subprocess.run(["unshare", "-m", "true"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return "needs unshare (util-linux) for a private mount namespace"
        return None if r.returncode == 0 else "cannot create a private mount namespace"
    if need == "fuse":
        if not os.path.exists("/dev/fuse") or not shutil.which("fusermount3"):
            return "needs FUSE (/dev/fuse and fusermount3)"
        return None
    if need == "qemu":
        if not shutil.which("qemu-system-x86_64"):
            return "needs QEMU (qemu-system-x86_64)"
        return None
    if need.startswith("cmd:"):
        name = need[4:]
        return None if shutil.which(name) or os.access(name, os.X_OK) else "needs " + name
    if need.startswith("file:"):
        return None if os.path.exists(need[5:]) else "needs " + need[5:]
    return "unknown prerequisite " + need


def main():
    args = sys.argv[1:]
    needs = []
    if args and args[0] == "--needs":
        needs = [n for n in args[1].split(",") if n]
        args = args[2:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sys.exit("usage: tap.py [--needs LIST] -- PROGRAM [ARGS...]")
    for n in needs:
        why = missing(n)
        if why:
            print("1..0 # SKIP " + why)
            return 0
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    n = failed = 0
    for raw in p.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith("PASS "):
            n += 1
            print("ok %d %s" % (n, line[5:]))
        elif line.startswith("FAIL "):
            n += 1
            failed += 1
            print("not ok %d %s" % (n, line[5:]))
        elif line.startswith("SKIP "):
            n += 1
            name, _, reason = line[5:].partition(": ")
            print("ok %d %s # SKIP %s" % (n, name, reason))
        else:
            print("# " + line)
        sys.stdout.flush()
    rc = p.wait()
    if rc != 0 and failed == 0:
        n += 1
        print("not ok %d %s exited %d without reporting a failure"
              % (n, os.path.basename(args[0]), rc))
    elif n == 0:
        n += 1
        print("not ok %d %s reported nothing" % (n, os.path.basename(args[0])))
    print("1..%d" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
