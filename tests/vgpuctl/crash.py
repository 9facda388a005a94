#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""vgpuctl create --define killed at every write point and at random moments (issue 20): the
definition of the VF it takes is always the old one or the new one, whole, never torn.

crash.py --build BUILD    (prints PASS/FAIL lines)

The fixture is the L40S host (tests/vgpuctl/roots/l40s.sh) whose VF 1 is free and already has
a definition (L40S-2Q, manual): create --define --auto of an L40S-4Q takes VF 1 and replaces
that definition. The kills come from the fault shim (tests/fault/fault.c, FAULT_ERRNO=KILL at the
Nth open/write/fsync/rename/sysfs write) and from SIGKILL after a random delay.
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OLD = b'{"framework":"nvidia-vfio","type":"NVIDIA L40S-2Q","type_id":1156,"start":"manual"}\n'
NEW = (b'{\n  "framework": "nvidia-vfio",\n  "type": "NVIDIA L40S-4Q",\n  "type_id": 1158,\n'
       b'  "start": "auto"\n}\n')
DEF = os.path.join("etc", "vgpu.d", "0000:41:00.0", "vf1")
ASAN_RUNTIME = []
if os.environ.get("MDEVKIT_SANITIZE") == "1":
    ASAN_RUNTIME = [subprocess.run(["gcc", "-print-file-name=libasan.so"], stdout=subprocess.PIPE,
                                   text=True, check=True).stdout.strip()]


def report(name, ok, detail=""):
    print("%s %s" % ("PASS" if ok else "FAIL", name))
    if not ok and detail:
        print("# " + detail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--iterations", type=int, default=40)
    a = ap.parse_args()
    exe = os.path.join(a.build, "src", "vgpuctl", "vgpuctl")
    shim = os.path.join(a.build, "tests", "fault", "libfault.so")
    args = [exe, "create", "--gpu", "0000:41:00.0", "--type", "L40S-4Q", "--define", "--auto"]
    with tempfile.TemporaryDirectory() as work:
        tpl = os.path.join(work, "tpl")
        subprocess.run(["bash", os.path.join(HERE, "roots", "l40s.sh")], env=dict(os.environ, R=tpl),
                       check=True)
        os.makedirs(os.path.dirname(os.path.join(tpl, DEF)))
        with open(os.path.join(tpl, DEF), "wb") as f:
            f.write(OLD)
        root = os.path.join(work, "root")

        def fresh():
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(tpl, root, symlinks=True)

        def env(extra=None):
            e = {k: v for k, v in os.environ.items() if not k.startswith(("MDEVCTL_", "FAULT_"))}
            e["MDEVCTL_ENV_ROOT"] = root
            e.update(extra or {})
            return e

        def definition():
            with open(os.path.join(root, DEF), "rb") as f:
                return f.read()

        # the uninterrupted run writes NEW
        fresh()
        p = subprocess.run(args, env=env(), capture_output=True)
        report("crash: create --define writes the new definition", p.returncode == 0 and definition() == NEW,
               "exit %d %r %r" % (p.returncode, p.stderr, definition()))
        kills = 0
        for call in ("open", "write", "fsync", "rename", "sysfs"):
            for nth in (1, 2, 3, 4):
                fresh()
                e = env({"FAULT_CALL": call, "FAULT_NTH": str(nth), "FAULT_ERRNO": "KILL",
                         "LD_PRELOAD": ":".join(ASAN_RUNTIME + [shim])})
                p = subprocess.run(args, env=e, capture_output=True)
                kills += p.returncode == -signal.SIGKILL
                d = definition()
                report("crash: create --define killed at %s#%d: old or new definition" % (call, nth),
                       d in (OLD, NEW), "exit %d, definition %r" % (p.returncode, d))
        report("crash: the shim killed create (%d times)" % kills, kills >= 5, "is LD_PRELOAD in effect?")
        rng = random.Random(20)
        bad = []
        counts = {OLD: 0, NEW: 0}
        killed = 0
        for i in range(a.iterations):
            fresh()
            p = subprocess.Popen(args, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.random() * 0.25)
            try:
                os.kill(p.pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
            p.wait()
            d = definition()
            if d in counts:
                counts[d] += 1
            else:
                bad.append(d)
            # the list reads whatever the crash left, and a torn temp file is never a definition
            l = subprocess.run([exe, "list", "--json"], env=env(), capture_output=True)
            if l.returncode != 0:
                bad.append(l.stderr)
        print("# %d creates, %d SIGKILLs sent: %d left the old definition, %d the new" %
              (a.iterations, killed, counts[OLD], counts[NEW]))
        report("crash: create --define killed at random moments: old or new, never torn", not bad,
               repr(bad[:3]))


if __name__ == "__main__":
    sys.exit(main())
