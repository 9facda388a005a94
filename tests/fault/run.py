#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Proofs that mdevctl never loses or tears a definition (issue 6).

run.py fault|crash|concurrency --build BUILD

fault        every config-changing command with the Nth open/write/fsync/rename/unlink (and
             sysfs write for start) failing with ENOSPC, EIO or EACCES: the command fails with
             "Error: ..." and the tree is exactly as before, or (a fault after the rename) as
             after; never a torn file, never a temp file left.
crash        the same commands killed by SIGKILL at each of those points, then many runs killed
             at random moments: every config parses and equals the old or the new content.
concurrency  64 parallel define processes on one parent, then 64 parallel modify --addattr on
             one device: all definitions present and valid, no lost update. The writer lock
             (run/mdevctl.lock) cannot be held by a user who may not write definitions, a
             writer gives up at MDEVCTL_LOCK_TIMEOUT naming the holder, and a writer whose
             --jsonfile is a slow pipe holds no lock while it waits (issue 17). Two vgpuctl
             applies of different layouts at once, on the mounted simulator, leave one layout
             or the other, never a mix, and the record of the applied layout names it
             (issue 21).
Prints PASS/FAIL lines.
"""
import argparse
import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOTS = os.path.join(HERE, "..", "golden", "roots")
U1 = "11111111-1111-4111-8111-111111111111"
U4 = "44444444-4444-4444-8444-444444444444"
U5 = "55555555-5555-4555-8555-555555555555"
N = "99999999-9999-4999-8999-999999999999"

# command, which calls it makes that matter
COMMANDS = {
    "define": ["define", "-u", N, "-p", "0000:00:02.0", "-t", "i915-GVTg_V5_8", "--auto"],
    "define-newparent": ["define", "-u", N, "-p", "0000:2b:00.0", "-t", "nvidia-35"],
    "modify": ["modify", "-u", U1, "--addattr", "z", "--value", "9"],
    "modify-jsonfile": ["modify", "-u", U4, "-p", "0000:2b:00.0", "--jsonfile", "@ROOT@/in/nv35.json"],
    "undefine": ["undefine", "-u", U4],
    "start": ["start", "-u", N, "-p", "0000:2b:00.0", "-t", "nvidia-35"],
}
CALLS = ["open", "write", "fsync", "rename", "unlink", "sysfs"]
ERRNOS = ["ENOSPC", "EIO", "EACCES"]


def build_template(work):
    tpl = os.path.join(work, "tpl")
    subprocess.run(["bash", os.path.join(ROOTS, "multi.sh")], env=dict(os.environ, R=tpl), check=True)
    return tpl


def configs(root):
    """etc/mdevctl.d as {relative path: bytes}"""
    out = {}
    base = os.path.join(root, "etc", "mdevctl.d")
    for dirpath, _, files in os.walk(base):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, base)] = fh.read()
    return out


def temp_files(root):
    """temporary files of config writers: beside etc/mdevctl.d (where they are made) and in the
    parents' directories (where a write across mounts, or an older version, makes them)"""
    out = [f for f in os.listdir(os.path.join(root, "etc")) if f.startswith(".mdevctl-tmp")]
    return out + [k for k in configs(root) if os.path.basename(k).startswith(".mdevctl-tmp")]


def sysfs_writes(root):
    out = {}
    for dirpath, _, files in os.walk(os.path.join(root, "sys")):
        for f in files:
            if f in ("create", "remove", "frl"):
                p = os.path.join(dirpath, f)
                with open(p, "rb") as fh:
                    out[os.path.relpath(p, root)] = fh.read()
    return out


ASAN_RUNTIME = []
if os.environ.get("MDEVKIT_SANITIZE") == "1":
    ASAN_RUNTIME = [subprocess.run(["gcc", "-print-file-name=libasan.so"], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout.strip()]


def run(build, root, args, env_extra=None, preload=False):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MDEVCTL_", "FAULT_"))}
    env["MDEVCTL_ENV_ROOT"] = root
    if env_extra:
        env.update(env_extra)
    if preload:
        # under ASan its runtime must come first in the preload list
        env["LD_PRELOAD"] = ":".join(ASAN_RUNTIME + [os.path.join(build, "tests", "fault", "libfault.so")])
    argv = [os.path.join(build, "src", "mdevctl", "mdevctl")] + [a.replace("@ROOT@", root) for a in args]
    return subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)


def fresh(tpl, work):
    root = os.path.join(work, "root")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(tpl, root, symlinks=True)
    return root


def each_old_or_new(now, before, after):
    """Every config is its old content, its new content, or (if old or new lacks it) absent:
    no file is torn, half-written or lost. Commands that touch several files (undefine of a
    UUID defined under two parents) may stop between them; each file is still whole."""
    return all(now.get(k) in (before.get(k), after.get(k)) for k in set(now) | set(before) | set(after))


def report(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name)
    if not ok and detail:
        for line in detail.splitlines()[:20]:
            print("# " + line)
    return ok


def expected_after(build, tpl, work, args):
    root = fresh(tpl, work)
    p = run(build, root, args)
    assert p.returncode == 0, p.stderr
    return configs(root), sysfs_writes(root)


def fault(build, work):
    tpl = build_template(work)
    before = configs(tpl)
    failed_runs = 0
    for name, args in COMMANDS.items():
        after, sys_after = expected_after(build, tpl, work, args)
        for call in CALLS:
            for nth in (1, 2, 3):
                for err in ERRNOS:
                    root = fresh(tpl, work)
                    sys_before = sysfs_writes(root)
                    p = run(build, root, args, {"FAULT_CALL": call, "FAULT_NTH": str(nth), "FAULT_ERRNO": err}, True)
                    now = configs(root)
                    temps = temp_files(root)
                    label = "fault %s %s#%d %s" % (name, call, nth, err)
                    if p.returncode == 0:
                        # the fault hit nothing that matters (or nothing at all): the full result
                        ok = now == after and not temps
                        detail = "exit 0 but the configs are not the expected result"
                    else:
                        failed_runs += 1
                        err_ok = any(l.startswith(b"Error: ") for l in p.stderr.splitlines())
                        # failed: configs exactly as before (a start may leave its removal
                        # written, which is the rollback of C-52)
                        ok = err_ok and each_old_or_new(now, before, after) and not temps and p.returncode == 1
                        # one file changed by the command: the failure left it untouched
                        changed = [k for k in set(before) | set(after) if before.get(k) != after.get(k)]
                        if len(changed) == 1:
                            ok = ok and now == before
                        detail = "exit %d\n%s\nconfigs changed: %s\ntemps: %s" % (
                            p.returncode, p.stderr.decode(errors="replace"),
                            sorted(set(now.items()) ^ set(before.items()))[:3], temps)
                        if name == "start" and ok:
                            # the device was not left half-configured: either never created,
                            # or created and removed again
                            sw = sysfs_writes(root)
                            created = sw != sys_before
                            dev = "sys/devices/pci0000:00/0000:2b:00.0"
                            removed = not created or any(v == b"1" for k, v in sw.items() if k.endswith("/remove"))
                            ok = removed or call != "sysfs"
                            detail = "device created and not removed: %s" % sw
                    report(label, ok, detail)
    # if the shim were not loaded, every run above would pass as "the fault hit nothing" (60 of
    # them fail when it is)
    report("fault injection fired (%d runs failed)" % failed_runs, failed_runs >= 50,
           "the shim did not fail enough calls: is LD_PRELOAD in effect?")
    attacks(build, work)


def attacks(build, work):
    """issue 17's attacks on the write path, each of which succeeded once"""
    tpl = build_template(work)
    # 17.5: a hard link planted at the temp name is unlinked, never written through
    root = fresh(tpl, work)
    victim = os.path.join(work, "victim")
    with open(victim, "w") as f:
        f.write("precious")
    for d in (os.path.join(root, "etc"), os.path.join(root, "etc", "mdevctl.d", "0000:2b:00.0")):
        os.link(victim, os.path.join(d, ".mdevctl-tmp-" + N))
    p = run(build, root, COMMANDS["define-newparent"])
    cfg = os.path.join(root, "etc", "mdevctl.d", "0000:2b:00.0", N)
    with open(victim) as f:
        kept = f.read() == "precious"
    report("attack: a hard link planted at the temp name is not written through",
           p.returncode == 0 and kept and os.stat(cfg).st_nlink == 1 and
           not os.path.exists(os.path.join(root, "etc", ".mdevctl-tmp-" + N)),
           p.stderr.decode(errors="replace"))
    # 17.6: modify keeps the mode and owner an admin set
    cfg = os.path.join(root, "etc", "mdevctl.d", "0000:00:02.0", U1)
    os.chmod(cfg, 0o600)
    owner_ok = True
    if os.geteuid() == 0:
        os.chown(cfg, 1000, 1000)
    p = run(build, root, COMMANDS["modify"])
    st = os.stat(cfg)
    if os.geteuid() == 0:
        owner_ok = (st.st_uid, st.st_gid) == (1000, 1000)
    else:
        print("SKIP attack: modify keeps the owner: needs root")
    report("attack: modify keeps a config's mode 0600%s" % (" and owner 1000" if os.geteuid() == 0 else ""),
           p.returncode == 0 and st.st_mode & 0o7777 == 0o600 and owner_ok,
           "mode %o uid %d" % (st.st_mode, st.st_uid))
    # 17.4: 120 KB attributes until the next would pass the read limit: refused, and the device
    # can still be modified back and undefined
    root = fresh(tpl, work)
    cfg = os.path.join(root, "etc", "mdevctl.d", "0000:00:02.0", U1)
    results = []
    for i in range(18):
        with open(cfg, "rb") as f:
            before = f.read()
        p = run(build, root, ["modify", "-u", U1, "--addattr", "big%d" % i, "--value", "v" * 120000])
        with open(cfg, "rb") as f:
            after = f.read()
        results.append((p.returncode, len(after), after == before, p.stderr))
    refused = [r for r in results if r[0] != 0]
    ok = refused and all(r[0] == 1 and r[2] and r[3].startswith(b"Error: ") for r in refused) and \
        max(r[1] for r in results) <= 1 << 20
    report("attack: 18 modify --addattr of 120 KB: the ones past 1 MiB are refused, the config unchanged",
           ok, "%s" % [(r[0], r[1]) for r in results])
    p1 = run(build, root, ["modify", "-u", U1, "--delattr"])
    p2 = run(build, root, ["start-parent-mdevs", "0000:00:02.0"])
    p3 = run(build, root, ["undefine", "-u", U1])
    report("attack: the grown config can still be modified, autostarted and undefined",
           p1.returncode == 0 and p2.returncode == 0 and b"Skipping" not in p2.stderr and
           p3.returncode == 0 and not os.path.exists(cfg),
           b"\n".join([p1.stderr, p2.stderr, p3.stderr]).decode(errors="replace"))
    # a config past the limit written by hand (or an older version) is still undefined
    with open(cfg, "w") as f:
        f.write('{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[{"pad":"%s"}]}' % ("x" * (2 << 20)))
    p = run(build, root, ["undefine", "-u", U1])
    report("attack: an over-limit config left by hand is undefined", p.returncode == 0 and not os.path.exists(cfg),
           p.stderr.decode(errors="replace"))
    # 17.8: a NUL in a --jsonfile string is refused, not cut
    jf = os.path.join(work, "nul.json")
    with open(jf, "w") as f:
        f.write('{"mdev_type": "i915-GVTg_V5_4\\u0000x", "start": "auto"}')
    before = configs(root)
    p = run(build, root, ["define", "-u", N, "-p", "0000:00:02.0", "--jsonfile", jf])
    report("attack: \\u0000 in a --jsonfile type is an error and writes nothing",
           p.returncode == 1 and p.stderr.startswith(b"Error: ") and configs(root) == before,
           p.stderr.decode(errors="replace"))


def crash(build, work, iterations):
    tpl = build_template(work)
    before = configs(tpl)
    # killed at every point where it writes
    shim_kills = 0
    for name, args in COMMANDS.items():
        after, _ = expected_after(build, tpl, work, args)
        for call in CALLS:
            for nth in (1, 2, 3):
                root = fresh(tpl, work)
                p = run(build, root, args, {"FAULT_CALL": call, "FAULT_NTH": str(nth), "FAULT_ERRNO": "KILL"}, True)
                shim_kills += p.returncode == -signal.SIGKILL
                now = {k: v for k, v in configs(root).items() if not os.path.basename(k).startswith(".mdevctl-tmp")}
                ok = each_old_or_new(now, before, after)
                report("crash %s killed at %s#%d" % (name, call, nth), ok,
                       "exit %d; configs neither old nor new: %s" % (p.returncode, sorted(set(now.items()) ^ set(before.items()))[:4]))
                # and the next writer cleans up what the crash left
                if ok and now != after:
                    p2 = run(build, root, args)
                    leftover = temp_files(root)
                    if name.startswith(("define", "modify")):
                        report("crash %s at %s#%d then rerun cleans up" % (name, call, nth),
                               p2.returncode == 0 and not leftover, p2.stderr.decode(errors="replace") + str(leftover))
    report("crash: the shim killed the command (%d times)" % shim_kills, shim_kills >= 10,
           "too few kills: is LD_PRELOAD in effect?")
    # killed at random moments, over and over on the same tree
    root = fresh(tpl, work)
    path = os.path.join(root, "etc", "mdevctl.d", "0000:00:02.0", U1)
    bad = 0
    rng = random.Random(1)
    exe = os.path.join(build, "src", "mdevctl", "mdevctl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDEVCTL_")}
    env["MDEVCTL_ENV_ROOT"] = root
    killed = 0
    for i in range(iterations):
        with open(path, "rb") as f:
            old = f.read()
        cmd = [exe, "modify", "-u", U1, "--addattr", "k%d" % i, "--value", "v"] if i % 2 == 0 else \
              [exe, "modify", "-u", U1, "--delattr"]
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.random() * 0.004)
        try:
            os.kill(p.pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            pass
        p.wait()
        with open(path, "rb") as f:
            new = f.read()
        try:
            d = json.loads(new)
            attrs = d["attrs"]
            olda = json.loads(old)["attrs"]
            ok = new == old or (i % 2 == 0 and attrs == olda + [{"k%d" % i: "v"}]) or \
                 (i % 2 == 1 and attrs == olda[:-1])
        except (ValueError, KeyError):
            ok = False
        if not ok:
            bad += 1
    temps = temp_files(root)
    print("# %d define/modify runs killed at random moments (%d SIGKILLs delivered): %d bad configs, "
          "%d temp files left for the next writer" % (iterations, killed, bad, len(temps)))
    report("crash random kills: every config parses and is old or new", bad == 0)


def concurrency(build, work):
    tpl = build_template(work)
    root = fresh(tpl, work)
    exe = os.path.join(build, "src", "mdevctl", "mdevctl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDEVCTL_")}
    env["MDEVCTL_ENV_ROOT"] = root
    uuids = ["c0c0c0c0-0000-4000-8000-%012d" % i for i in range(64)]
    procs = [subprocess.Popen([exe, "define", "-u", u, "-p", "0000:2b:00.0", "-t", "nvidia-35"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for u in uuids]
    errs = [p.communicate()[1] for p in procs]
    ok = all(p.returncode == 0 for p in procs)
    report("concurrency 64 parallel defines succeed", ok, b"".join(errs).decode(errors="replace"))
    cfg = configs(root)
    present = [u for u in uuids if "0000:2b:00.0/" + u in cfg]
    valid = all(json.loads(cfg["0000:2b:00.0/" + u]) == {"mdev_type": "nvidia-35", "start": "manual", "attrs": []}
                for u in present)
    report("concurrency 64 definitions present and valid", len(present) == 64 and valid,
           "%d present" % len(present))
    # 64 parallel modifications of one device: each adds its own attribute
    procs = [subprocess.Popen([exe, "modify", "-u", uuids[0], "--addattr", "a%d" % i, "--value", str(i)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(64)]
    errs = [p.communicate()[1] for p in procs]
    report("concurrency 64 parallel modifies succeed", all(p.returncode == 0 for p in procs),
           b"".join(errs).decode(errors="replace"))
    d = json.loads(configs(root)["0000:2b:00.0/" + uuids[0]])
    names = sorted(list(a)[0] for a in d["attrs"])
    report("concurrency no lost update: 64 attributes", names == sorted("a%d" % i for i in range(64)),
           "%d attributes" % len(names))
    # a listing during writes never sees a torn file
    procs = [subprocess.Popen([exe, "modify", "-u", uuids[1], "--addattr", "b%d" % i, "--value", "x" * 200], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(32)]
    torn = 0
    for _ in range(20):
        p = subprocess.run([exe, "list", "-d", "--dumpjson"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0 or b"Skipping" in p.stderr:
            torn += 1
        else:
            json.loads(p.stdout)
    for p in procs:
        p.wait()
    report("concurrency readers never see a torn config", torn == 0, "%d bad listings" % torn)


def as_other_user():
    """preexec_fn for a child that runs as nobody (when we are root), as a hostile local user"""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)


def wait_for(cond, limit=10.0):
    """poll cond until it holds or limit seconds pass (a bound for a test, not a measurement)"""
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def lock_hostile(build, work):
    tpl = build_template(work)
    root = fresh(tpl, work)
    os.chmod(work, 0o755)  # the other user must reach the root, as it reaches /etc
    exe = os.path.join(build, "src", "mdevctl", "mdevctl")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MDEVCTL_", "FAULT_"))}
    env.update(MDEVCTL_ENV_ROOT=root, MDEVCTL_LOCK_TIMEOUT="5")
    define = lambda u, **kw: subprocess.run([exe, "define", "-u", u, "-p", "0000:2b:00.0", "-t", "nvidia-35"],
                                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, **kw)
    who = "nobody" if os.geteuid() == 0 else "another process"
    # 1. an unprivileged flock on the config directory (the old lock) stops nobody
    cfgdir = os.path.join(root, "etc", "mdevctl.d")
    holder = subprocess.Popen(["flock", "-x", cfgdir, "-c", "echo locked; exec sleep 600"], stdout=subprocess.PIPE,
                              preexec_fn=as_other_user)
    ok = holder.stdout.readline() == b"locked\n"
    try:
        p = define("c1c1c1c1-0000-4000-8000-000000000001")
        ok = ok and p.returncode == 0
        detail = p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        ok, detail = False, "define waited for the lock on etc/mdevctl.d"
    holder.kill()
    holder.wait()
    report("concurrency a lock on etc/mdevctl.d held by %s does not stop define" % who, ok, detail)
    # 2. the real lock cannot be opened by that user at all
    lock = os.path.join(root, "run", "mdevctl.lock")
    if not report("concurrency writers lock run/mdevctl.lock", os.path.isfile(lock)):
        return
    st = os.lstat(lock)
    if os.geteuid() == 0:
        probe = subprocess.run(["flock", "-n", lock, "true"], preexec_fn=as_other_user, stderr=subprocess.PIPE)
        report("concurrency nobody cannot open run/mdevctl.lock, even to read",
               probe.returncode != 0 and b"Permission denied" in probe.stderr, probe.stderr.decode(errors="replace"))
    report("concurrency run/mdevctl.lock is a 0600 regular file of the writer",
           (st.st_mode & 0o7777) == 0o600 and st.st_uid == os.geteuid() and (st.st_mode & 0o170000) == 0o100000,
           "mode %o uid %d" % (st.st_mode, st.st_uid))
    # 3. a writer that holds it delays others at most MDEVCTL_LOCK_TIMEOUT, and is named
    held = os.open(lock, os.O_WRONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    with open("/proc/self/comm") as f:
        comm = f.read().strip()
    env["MDEVCTL_LOCK_TIMEOUT"] = "1"
    try:
        p = define("c1c1c1c1-0000-4000-8000-000000000002")
        err = p.stderr.decode(errors="replace")
        want = ('Error: Another writer holds the lock "%s": process %d (%s) did not release it within 1 s '
                "(MDEVCTL_LOCK_TIMEOUT)\n" % (lock, os.getpid(), comm))
        ok = p.returncode == 1 and err == want and not os.path.exists(
            os.path.join(cfgdir, "0000:2b:00.0", "c1c1c1c1-0000-4000-8000-000000000002"))
        detail = "got %r\nwant %r" % (err, want)
    except subprocess.TimeoutExpired:
        ok, detail = False, "define waited beyond MDEVCTL_LOCK_TIMEOUT"
    report("concurrency a writer gives up at MDEVCTL_LOCK_TIMEOUT with Error naming the holder's pid", ok, detail)
    # 4. and one that waits goes on as soon as the holder lets go
    env["MDEVCTL_LOCK_TIMEOUT"] = "30"
    waiter = subprocess.Popen([exe, "define", "-u", "c1c1c1c1-0000-4000-8000-000000000003", "-p", "0000:2b:00.0",
                               "-t", "nvidia-35"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)
    os.close(held)
    try:
        err = waiter.communicate(timeout=20)[1]
        ok = waiter.returncode == 0
    except subprocess.TimeoutExpired:
        waiter.kill()
        err, ok = waiter.communicate()[1], False
    report("concurrency a waiting writer proceeds once the holder is gone", ok, err.decode(errors="replace"))


def slow_input(build, work):
    """A writer whose --jsonfile is a pipe that has not given its input yet holds no lock."""
    tpl = build_template(work)
    exe = os.path.join(build, "src", "mdevctl", "mdevctl")
    slow_cmds = {
        "define": ["define", "-u", "d0d0d0d0-0000-4000-8000-000000000001", "-p", "0000:2b:00.0",
                   "--jsonfile", "/dev/stdin"],
        "modify": ["modify", "-u", U4, "-p", "0000:2b:00.0", "--jsonfile", "/dev/stdin"],
        "start": ["start", "-u", "d0d0d0d0-0000-4000-8000-000000000002", "-p", "0000:2b:00.0",
                  "--jsonfile", "/dev/stdin"],
    }
    doc = b'{"mdev_type": "nvidia-35", "start": "manual", "attrs": []}'
    for name, args in slow_cmds.items():
        root = fresh(tpl, work)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MDEVCTL_", "FAULT_"))}
        env.update(MDEVCTL_ENV_ROOT=root, MDEVCTL_LOCK_TIMEOUT="3")
        slow = subprocess.Popen([exe] + args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        time.sleep(0.5)  # time to reach the lock, if it took the lock before reading
        try:
            p = subprocess.run([exe, "define", "-u", "d1d1d1d1-0000-4000-8000-000000000001", "-p", "0000:00:02.0",
                                "-t", "i915-GVTg_V5_8"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=20)
            ok, detail = p.returncode == 0, p.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            ok, detail = False, "the other writer waited"
        out, err = slow.communicate(doc, timeout=20)
        ok = ok and slow.returncode == 0
        report("concurrency %s --jsonfile on a slow pipe does not hold the lock while it reads" % name, ok,
               detail + err.decode(errors="replace"))


LAYOUTS = """version: v1
vgpu-configs:
  four:
    - devices: all
      vgpu-devices:
        i915-GVTg_V5_4: 2
        i915-GVTg_V5_8: 1
  eight:
    - devices: all
      vgpu-devices:
        i915-GVTg_V5_8: 3
  two:
    - devices: all
      vgpu-devices:
        i915-GVTg_V5_2: 1
"""


def layout_applies(build, work):
    """Issue 21: vgpuctl apply holds the writer lock from its first look at the host to its
    record of the layout, so two applies at once leave one layout, never a mix of both."""
    sim = os.path.join(build, "sim", "mdev-sim")
    if not os.path.exists("/dev/fuse") or not shutil.which("fusermount3"):
        print("SKIP concurrency-layout: no FUSE here")
        return
    root = os.path.join(work, "root")
    for d in ("sys", "run", "etc/mdevctl.d", "usr/lib/mdevctl/scripts.d/callouts",
              "usr/lib/mdevctl/scripts.d/notifiers"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    layouts = os.path.join(work, "layouts.yaml")
    with open(layouts, "w") as f:
        f.write(LAYOUTS)
    if subprocess.run([sim, "--profile", "seed-gvtg", os.path.join(root, "sys")]).returncode != 0 or \
            not wait_for(lambda: os.path.isdir(os.path.join(root, "sys", "bus"))):
        report("concurrency-layout simulator mounts", False)
        return
    vgpuctl = os.path.join(build, "src", "vgpuctl", "vgpuctl")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MDEVCTL_", "FAULT_"))}
    env.update(MDEVCTL_ENV_ROOT=root, MDEVCTL_LOCK_TIMEOUT="30")
    lock = os.path.join(root, "run", "mdevctl.lock")

    def vg(*args, **kw):
        return subprocess.run([vgpuctl] + list(args), env=kw.pop("env", env), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60)

    def matches(name):
        return vg("assert", "-f", layouts, "-c", name).returncode == 0

    def holds_lock_file(pid):
        try:
            return any(os.readlink("/proc/%d/fd/%s" % (pid, fd)) == lock for fd in os.listdir("/proc/%d/fd" % pid))
        except OSError:
            return False

    try:
        mixed, failed, record_wrong, overlapped = [], [], [], 0
        for rnd in range(6):
            # from a third layout, so that both applies have work to do
            vg("apply", "-f", layouts, "-c", "two")
            # both start while a third party holds the lock, so that both are waiting for it
            # when it is let go (seen by their open descriptors of the lock file)
            held = os.open(lock, os.O_WRONLY)
            fcntl.flock(held, fcntl.LOCK_EX)
            order = ["four", "eight"] if rnd % 2 else ["eight", "four"]
            procs = [subprocess.Popen([vgpuctl, "apply", "-f", layouts, "-c", n], env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE) for n in order]
            overlapped += wait_for(lambda: all(holds_lock_file(p.pid) for p in procs))
            os.close(held)
            for p in procs:
                out, err = p.communicate(timeout=60)
                if p.returncode != 0:
                    failed.append(err.decode(errors="replace"))
            a, b = matches("four"), matches("eight")
            if a == b:
                mixed.append("round %d: four %s, eight %s" % (rnd, a, b))
            with open(os.path.join(root, "etc", "vgpu.d", "applied-layout")) as f:
                rec = json.load(f)["config"]
            if not matches(rec):
                record_wrong.append("round %d: recorded %s" % (rnd, rec))
        report("concurrency-layout two applies at once both succeed (the second waits)", not failed, "\n".join(failed))
        report("concurrency-layout both applies were waiting for the lock at once", overlapped == 6,
               "%d of 6 rounds" % overlapped)
        report("concurrency-layout two applies never leave a mix of both layouts", not mixed, "\n".join(mixed))
        report("concurrency-layout the recorded layout is the one the host has", not record_wrong,
               "\n".join(record_wrong))
        # one that may not wait fails clearly and changes nothing
        held = os.open(lock, os.O_WRONLY)
        fcntl.flock(held, fcntl.LOCK_EX)
        before = matches("four"), matches("eight")
        p = vg("apply", "-f", layouts, "-c", "eight" if before[0] else "four",
               env=dict(env, MDEVCTL_LOCK_TIMEOUT="0"))
        os.close(held)
        err = p.stderr.decode(errors="replace")
        report("concurrency-layout an apply that cannot take the lock fails with Error, changing nothing",
               p.returncode == 1 and err.startswith("Error: Another writer holds the lock") and
               (matches("four"), matches("eight")) == before, err)
    finally:
        subprocess.run(["fusermount3", "-u", os.path.join(root, "sys")])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["fault", "crash", "concurrency"])
    ap.add_argument("--build", required=True)
    ap.add_argument("--iterations", type=int, default=300)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        if a.what == "fault":
            fault(a.build, work)
        elif a.what == "crash":
            crash(a.build, work, a.iterations)
        else:
            concurrency(a.build, work)
            for test in (lock_hostile, slow_input, layout_applies):
                with tempfile.TemporaryDirectory() as w:
                    test(a.build, w)


if __name__ == "__main__":
    main()
