#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Callout scripts and notifiers against the writer lock and signals (issues 17 and 19).

run.py --build BUILD

notifier-chain  a notifier that runs `mdevctl define` itself is not left waiting for the lock
                its caller holds: notifiers run after the lock is released.
signals         SIGINT, SIGTERM or SIGHUP to mdevctl while a callout runs ends the callout's
                whole process group (TERM, then KILL for one that ignores TERM), and mdevctl
                dies of the same signal.
no-timer        while mdevctl waits for a callout script it never wakes on a timer: every poll()
                it makes waits for the script (a pidfd) and its pipes without a timeout, or for
                what is left of the callout timeout; none polls in short slices.
invocations     how often, and in which order, list runs a script that declines everything
                (exit 2), each call logged with its arguments: 1.3.0's count exactly (the
                capability probe once per parent and type, then get attributes for every
                running device, defined or not; nothing for list -d), pinned call by call.
Prints PASS/FAIL lines.
"""
import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOTS = os.path.join(HERE, "..", "golden", "roots")
N = "99999999-9999-4999-8999-999999999999"
N2 = "88888888-8888-4888-8888-888888888888"
PARENT, TYPE = "0000:00:02.0", "i915-GVTg_V5_8"
CALLOUTS = os.path.join("usr", "lib", "mdevctl", "scripts.d", "callouts")
NOTIFIERS = os.path.join("usr", "lib", "mdevctl", "scripts.d", "notifiers")

ASAN_RUNTIME = []
if os.environ.get("MDEVKIT_SANITIZE") == "1":
    ASAN_RUNTIME = [subprocess.run(["gcc", "-print-file-name=libasan.so"], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout.strip()]


def report(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name)
    if not ok and detail:
        for line in detail.splitlines()[:20]:
            print("# " + line)
    return ok


def fresh_root(work, name):
    root = os.path.join(work, name)
    subprocess.run(["bash", os.path.join(ROOTS, "multi.sh")], env=dict(os.environ, R=root), check=True)
    return root


def install(root, where, name, text):
    path = os.path.join(root, where, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def environ(build, root, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MDEVCTL_", "FAULT_"))}
    env.update(MDEVCTL_ENV_ROOT=root, MDEVKIT_TEST_MDEVCTL=os.path.join(build, "src", "mdevctl", "mdevctl"))
    env.update(extra)
    return env


def mdevctl(build):
    return [os.path.join(build, "src", "mdevctl", "mdevctl")]


def wait_for(cond, limit=10.0):
    """poll cond until it holds or limit seconds pass (a bound for the test, not a measurement)"""
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def gone(pid):
    """no such process, or one that has exited and waits to be reaped"""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def notifier_chain(build, work):
    root = fresh_root(work, "chain")
    # $4 event, $6 action, $10 uuid (arguments as C-57 gives them)
    install(root, NOTIFIERS, "chain", """#!/bin/sh
[ "$4" = notify ] && [ "$6" = define ] && [ "${10}" = %s ] || exit 0
exec "$MDEVKIT_TEST_MDEVCTL" define -u %s -p %s -t %s >>"$MDEVCTL_ENV_ROOT/chain.log" 2>&1
""" % (N, N2, PARENT, TYPE))
    env = environ(build, root, MDEVCTL_CALLOUT_TIMEOUT="10", MDEVCTL_LOCK_TIMEOUT="20")
    p = subprocess.run(mdevctl(build) + ["define", "-u", N, "-p", PARENT, "-t", TYPE], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    cfg = os.path.join(root, "etc", "mdevctl.d", PARENT)
    log = open(os.path.join(root, "chain.log")).read() if os.path.exists(os.path.join(root, "chain.log")) else ""
    report("callouts a notifier that runs mdevctl define is not blocked by its caller's lock",
           p.returncode == 0 and p.stderr == b"" and os.path.exists(os.path.join(cfg, N)) and
           os.path.exists(os.path.join(cfg, N2)) and log == "",
           "exit %d, stderr %r, chain.log %r" % (p.returncode, p.stderr, log))


SIGNAL_SCRIPT = """#!/bin/sh
case "$*" in *"-a capabilities"*) exit 2 ;; esac
[ "$4" = pre ] || exit 0
%s
sleep 600 &
echo $! >"$MDEVCTL_ENV_ROOT/child.pid"
echo $$ >"$MDEVCTL_ENV_ROOT/script.pid"
wait
"""


def default_signals():
    """preexec_fn: the three signals at their default action, whatever the test was started
    with (a background job of a shell has SIGINT ignored)"""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def ignore_sigint():
    default_signals()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def signals(build, work):
    for sig, stubborn in ((signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGHUP, False),
                          (signal.SIGTERM, True)):
        root = fresh_root(work, "sig-%d-%d" % (sig, stubborn))
        install(root, CALLOUTS, "wait", SIGNAL_SCRIPT % ("trap '' TERM HUP INT" if stubborn else ""))
        env = environ(build, root, MDEVCTL_CALLOUT_TIMEOUT="0")
        p = subprocess.Popen(mdevctl(build) + ["define", "-u", N, "-p", PARENT, "-t", TYPE], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_signals)
        pidfiles = [os.path.join(root, f) for f in ("script.pid", "child.pid")]
        started = wait_for(lambda: all(os.path.exists(f) and open(f).read().endswith("\n") for f in pidfiles))
        pids = [int(open(f).read()) for f in pidfiles] if started else []
        p.send_signal(sig)
        try:
            p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
        ended = wait_for(lambda: all(gone(pid) for pid in pids), 5)
        for pid in pids:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
        report("callouts %s to mdevctl during a callout%s ends the callout's process group and mdevctl dies of it"
               % (signal.Signals(sig).name, " that ignores it" if stubborn else ""),
               started and ended and p.returncode == -sig and not os.path.exists(os.path.join(root, "etc", "mdevctl.d",
                                                                                              PARENT, N)),
               "started %s, callout processes gone %s, mdevctl exit %s" % (started, ended, p.returncode))


def sigint_ignored(build, work):
    """mdevctl started with SIGINT ignored (nohup, a background job) keeps ignoring it"""
    root = fresh_root(work, "nohup")
    install(root, CALLOUTS, "wait", SIGNAL_SCRIPT % "")
    env = environ(build, root, MDEVCTL_CALLOUT_TIMEOUT="0")
    p = subprocess.Popen(mdevctl(build) + ["define", "-u", N, "-p", PARENT, "-t", TYPE], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=ignore_sigint)
    pidfile = os.path.join(root, "script.pid")
    started = wait_for(lambda: os.path.exists(pidfile) and open(pidfile).read().endswith("\n"))
    p.send_signal(signal.SIGINT)
    try:
        p.wait(timeout=1)
    except subprocess.TimeoutExpired:
        pass
    alive = p.returncode is None and started and not gone(int(open(pidfile).read()))
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=20)
    report("callouts SIGINT ignored when mdevctl starts stays ignored, callout and all", alive)


def no_timer(build, work):
    root = fresh_root(work, "timer")
    # a script that takes a little while, so that a waiter in slices would wake at least once
    install(root, CALLOUTS, "slow", """#!/bin/sh
case "$*" in *"-a capabilities"*) exit 2 ;; esac
cat >/dev/null
sleep 0.2
""")
    log = os.path.join(work, "poll.log")
    for timeout_s in ("0", "30"):
        if os.path.exists(log):
            os.unlink(log)
        env = environ(build, root, MDEVCTL_CALLOUT_TIMEOUT=timeout_s, FAULT_POLL_LOG=log,
                      LD_PRELOAD=":".join(ASAN_RUNTIME + [os.path.join(build, "tests", "fault", "libfault.so")]))
        subprocess.run(mdevctl(build) + ["undefine", "-u", N], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        p = subprocess.run(mdevctl(build) + ["define", "-u", N, "-p", PARENT, "-t", TYPE], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        polls = [tuple(map(int, line.split())) for line in open(log)] if os.path.exists(log) else []
        # -1: wait for the script or a pipe; 0: take what the pipes hold after it exited; more
        # than a second: what is left of a 30 s timeout
        sliced = [t for _, t in polls if t not in (-1, 0) and t < 1000]
        report("callouts with MDEVCTL_CALLOUT_TIMEOUT=%s mdevctl waits for a script without waking on a timer"
               % timeout_s, p.returncode == 0 and polls and not sliced,
               "exit %d %r; %d polls, timed ones: %r" % (p.returncode, p.stderr, len(polls), sliced[:10]))


# A script that declines every call and logs it: event, action, state, UUID, parent, type and
# how many bytes it got on stdin (C-57's argument order).
LOGGING_DECLINER = """#!/bin/sh
n=$(wc -c)
echo "$4 $6 $8 ${10} ${12} $2 stdin=$n" >>"$MDEVCTL_ENV_ROOT/calls.log"
exit 2
"""
U = {k: ("%d" % k) * 8 + "-" + ("%d" % k) * 4 + "-4" + ("%d" % k) * 3 + "-8" + ("%d" % k) * 3 + "-" + ("%d" % k) * 12
     for k in range(1, 8)}
GVT, NV = "0000:00:02.0", "0000:2b:00.0"
PROBE = "get capabilities none %s %s %s stdin=%d"
GET = "get attributes none %s %s %s stdin=0"
# the bytes of the probe's stdin: {"provides":{...}} (C-58)
PROVIDES_LEN = len('{"provides":{"version":2,"actions":["start","stop","define","undefine","modify",'
                   '"attributes","capabilities"],"events":["pre","post","notify","get","live"]}}')


def invocations(build, work):
    """multi's three running devices (U1 defined, U2 not, U3 defined under another type), plus
    U6 under U1's parent and type (not defined) and U7 under U2's (defined), and a bus entry
    that is not a UUID: each (parent, type) is probed once, at its first device in listing
    order, and every running device is asked for its attributes, defined or not (1.2 asked only
    the undefined ones and probed nothing)."""
    root = fresh_root(work, "count")
    subprocess.run(["bash", "-c", '. "$0/lib.sh"; mk_dev $GVT i915-GVTg_V5_4 %s; mk_dev %s nvidia-35 %s; '
                    'mk_cfg %s %s \'{"mdev_type":"nvidia-35","start":"auto"}\'; '
                    'ln -s ../../../devices/$GVT "$R/sys/bus/mdev/devices/not-a-uuid"'
                    % (U[6], "pci0000:00/" + NV, U[7], NV, U[7]), ROOTS],
                   env=dict(os.environ, R=root), check=True)
    os.makedirs(os.path.join(root, "etc", "mdevctl.d", "scripts.d", "callouts"))
    install(root, os.path.join("etc", "mdevctl.d", "scripts.d", "callouts"), "decline", LOGGING_DECLINER)
    v4, v8, n35 = (GVT, "i915-GVTg_V5_4"), (GVT, "i915-GVTg_V5_8"), (NV, "nvidia-35")
    every = [PROBE % (U[1], *v4, PROVIDES_LEN), GET % (U[1], *v4),
             PROBE % (U[2], *n35, PROVIDES_LEN), GET % (U[2], *n35),
             PROBE % (U[3], *v8, PROVIDES_LEN), GET % (U[3], *v8),
             GET % (U[6], *v4),
             GET % (U[7], *n35)]
    nv_only = [PROBE % (U[2], *n35, PROVIDES_LEN), GET % (U[2], *n35), GET % (U[7], *n35)]
    one = [PROBE % (U[6], *v4, PROVIDES_LEN), GET % (U[6], *v4)]
    cases = [(["list"], every), (["list", "--dumpjson"], every), (["list", "-v"], every),
             (["list", "-p", NV], nv_only), (["list", "-u", U[6]], one),
             (["list", "-d"], []), (["list", "-d", "--dumpjson"], []), (["list", "-d", "-v"], [])]
    log = os.path.join(root, "calls.log")
    for argv, want in cases:
        if os.path.exists(log):
            os.unlink(log)
        p = subprocess.run(mdevctl(build) + argv, env=environ(build, root), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        got = open(log).read().splitlines() if os.path.exists(log) else []
        report("callouts %s with a declining script runs it %d times, in 1.3.0's order (devices by UUID, C-85)"
               % (" ".join(["mdevctl"] + argv), len(want)),
               p.returncode == 0 and got == want,
               "exit %d, stderr %r\ngot:\n%s\nwant:\n%s" % (p.returncode, p.stderr, "\n".join(got), "\n".join(want)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    a = ap.parse_args()
    for test in (notifier_chain, signals, sigint_ignored, no_timer, invocations):
        with tempfile.TemporaryDirectory() as work:
            test(os.path.abspath(a.build), work)


if __name__ == "__main__":
    main()
