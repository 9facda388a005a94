#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Golden tests of mdevctl/lsmdev: each case runs the real binary on a fresh copy of a fixture
root (MDEVCTL_ENV_ROOT) and compares stdout, stderr, the exit status and the files it changed
with the expected ones.

A case is a directory <command>/<case>/ (e.g. start/seed-2-start) holding
  case     what to run, as "key: value" lines:
             root     a script in roots/ that builds the fixture tree (our own fixtures), or
                      sim:PROFILE: a root whose sys is mdev-sim with that profile (--sim),
                      mounted afresh for each case
             before   (optional, repeatable) a command run like "command" before it, which
                      must succeed; its output is not compared
             rules    the contract rules (C-n) the case pins down; "DIFF:" marks an intended
                      difference from upstream mdevctl 1.3.0, whose expected files were written
                      by hand
             command  "mdevctl ...", "lsmdev ..." or "vgpuctl ..."; $ROOT is the fixture root;
                      words are split like a shell would (shlex)
             options  (optional, space-separated) stdin=FILE-in-root, gen (a UUID the command
                      prints is replaced by <UUID> in stdout and in changed file names),
                      callout=A.sh,B.sh (copied from scripts/ into
                      usr/lib/mdevctl/scripts.d/callouts), etc-callout=..., notifier=...,
                      plain=FILE (copied into the callout directory without the exec bit),
                      env=NAME=VALUE
  stdout, stderr, exit   what the command must print and return
  changes  every file, link or directory of the root it added (A), modified (M) or deleted (D),
           with the new contents; in a simulated sys only sys/devices (the rest are links into
           it), an added or deleted directory standing for all it holds, and a file that cannot
           be read shown by its error

run.py --bin PATH [--update] [--reference PATH] [--suite DIR] [ID-SUBSTRING...]
  --update     rewrite expected files from --bin (after an intended change; review the diff)
  --reference  rewrite expected files from another mdevctl binary, e.g. an upstream release
               built by the developer (cases marked DIFF: are left alone)
  --suite      another folder laid out the same way (tests/vgpuctl)
  --sim        the mdev-sim binary, for sim: roots (without it, or without FUSE, they SKIP)
Prints "PASS <id>" / "FAIL <id>" per case (tests/run's protocol).
"""
import argparse
import difflib
import errno
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TS_RE = re.compile(r"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ", re.M)


def load_cases(suite):
    """Every <command>/<case>/case file under suite, sorted by id."""
    cases = []
    for command in sorted(os.listdir(suite)):
        cdir = os.path.join(suite, command)
        if not os.path.isdir(cdir) or command in ("roots", "scripts"):
            continue
        for name in sorted(os.listdir(cdir)):
            path = os.path.join(cdir, name, "case")
            if not os.path.exists(path):
                continue
            fields = {"before": []}
            with open(path) as f:
                for n, line in enumerate(f, 1):
                    key, sep, value = line.rstrip("\n").partition(": ")
                    if not sep or key not in ("root", "rules", "command", "options", "before"):
                        sys.exit("%s:%d: expected root:, rules:, command:, before: or options:"
                                 % (path, n))
                    if key == "before":
                        fields[key].append(value.strip())
                    else:
                        fields[key] = value.strip()
            for key in ("root", "rules", "command"):
                if key not in fields:
                    sys.exit("%s: no %s: line" % (path, key))
            options = {}
            for o in fields.get("options", "").split():
                k, _, v = o.partition("=")
                options[k] = v or True
            cases.append({"id": command + "/" + name, "root": fields["root"],
                          "rules": fields["rules"], "cmd": fields["command"], "opts": options,
                          "before": fields["before"]})
    if not cases:
        sys.exit("no cases under %s" % suite)
    return cases


ROOTS = [os.path.join(HERE, "roots")]


def roots_key(d, name):
    """what a root built by d/name.sh depends on: every file of d (the scripts source helpers)"""
    h = hashlib.sha256(("%s\0%s\0" % (os.path.abspath(d), name)).encode())
    for f in sorted(os.listdir(d)):
        full = os.path.join(d, f)
        if os.path.isfile(full):
            with open(full, "rb") as fh:
                h.update(f.encode() + b"\0" + fh.read() + b"\0")
    return h.hexdigest()[:32]


def build_root(name, dest):
    """Build a fixture root from its script. The scripts fork a process per file, which costs
    seconds per root; with MDEVKIT_ROOT_CACHE (tests/run sets it for one run) a root is built
    once and copied for every suite and pass that uses it (its links are relative)."""
    for d in ROOTS:
        script = os.path.join(d, name + ".sh")
        if not os.path.exists(script):
            continue
        cache = os.environ.get("MDEVKIT_ROOT_CACHE")
        if not cache:
            subprocess.run(["bash", script], env=dict(os.environ, R=dest), check=True)
            return
        os.makedirs(cache, exist_ok=True)
        kept = os.path.join(cache, roots_key(d, name))
        if not os.path.isdir(kept):
            tmp = tempfile.mkdtemp(dir=cache)
            subprocess.run(["bash", script], env=dict(os.environ, R=os.path.join(tmp, "r")),
                           check=True)
            try:
                os.rename(os.path.join(tmp, "r"), kept)  # another suite may have won the race
            except OSError:
                pass
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(kept, dest, symlinks=True)
        return
    sys.exit("no fixture root named %s" % name)


# The writers' lock (lib/lock.c), which upstream does not have: every write creates it, so it
# is left out of "changes"; tests/unit/test_fsutil.c and the concurrency suite check it.
LOCK_FILE = os.path.join("run", "mdevctl.lock")


SIM_PREFIX = "sim:"


def sim_walk(path, rel, snap):
    """A simulated sys/devices into snap: each entry's type from readdir (d_type), as a stat
    of each would cost a round trip to the simulator"""
    with os.scandir(path) as it:
        entries = sorted(it, key=lambda e: e.name)
    for e in entries:
        r = os.path.join(rel, e.name)
        if e.is_symlink():
            snap[r] = ("l", os.readlink(e.path))
        elif e.is_dir(follow_symlinks=False):
            snap[r] = ("d",)
            sim_walk(e.path, r, snap)
        else:
            try:
                with open(e.path, "rb") as f:
                    snap[r] = ("f", f.read())
            except OSError as err:
                snap[r] = ("e", errno.errorcode.get(err.errno, str(err.errno)))


def snapshot(root, sim=False):
    """path -> ('d',) | ('l', target) | ('f', bytes) | ('e', error of a simulated file)"""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if sim and os.path.relpath(dirpath, root) == "sys":
            snap["sys/devices"] = ("d",)
            sim_walk(os.path.join(dirpath, "devices"), "sys/devices", snap)
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if rel == LOCK_FILE:
                continue
            if os.path.islink(full):
                snap[rel] = ("l", os.readlink(full))
            elif os.path.isdir(full):
                snap[rel] = ("d",)
            else:
                with open(full, "rb") as f:
                    snap[rel] = ("f", f.read())
    return snap


def changes(before, after, sim=False):
    out = []
    gone = []  # directories added or deleted in a simulated sys: they stand for all they hold
    for path in sorted(set(before) | set(after)):
        b, a = before.get(path), after.get(path)
        if b == a:
            continue
        if any(path.startswith(g + "/") for g in gone):
            continue
        if sim and path.startswith("sys/") and ("d",) in (a, b) and (a is None or b is None):
            gone.append(path)
        tag = "A" if b is None else "D" if a is None else "M"
        out.append("%s %s" % (tag, path))
        if a is not None and a[0] == "f":
            out.append("  " + repr(a[1]))
        elif a is not None and a[0] == "l":
            out.append("  -> " + a[1])
        elif a is not None and a[0] == "e":
            out.append("  (%s)" % a[1])
    return "\n".join(out) + ("\n" if out else "")


def sim_usable(sim):
    return bool(sim) and os.path.exists("/dev/fuse") and shutil.which("fusermount3")


def mount_sim(sim, profile, root):
    """A root whose sys is mdev-sim with profile; False when it does not come up"""
    for d in ("sys", "etc/mdevctl.d", "usr/lib/mdevctl/scripts.d/callouts",
              "usr/lib/mdevctl/scripts.d/notifiers"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    if subprocess.run([sim, "--profile", profile, os.path.join(root, "sys")]).returncode:
        return False
    for _ in range(100):
        if os.path.isdir(os.path.join(root, "sys", "bus")):
            return True
        time.sleep(0.05)
    return False


def unmount_sim(root):
    sys_dir = os.path.join(root, "sys")
    if os.path.ismount(sys_dir):
        subprocess.run(["fusermount3", "-u", sys_dir], check=False)


def run_words(cmd, root, binaries, work, env, stdin):
    words = shlex.split(cmd.replace("$ROOT", root))
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, words[0])
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(binaries[words[0]], link)
    return subprocess.run([link] + words[1:], env=env, stdin=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=work, timeout=60)


def run_case(case, binaries, tpl_dir, work, sim=None):
    root = os.path.join(work, "root")
    is_sim = case["root"].startswith(SIM_PREFIX)
    shutil.rmtree(root, ignore_errors=True)
    if is_sim:
        if not mount_sim(sim, case["root"][len(SIM_PREFIX):], root):
            unmount_sim(root)
            return {"stdout": "", "stderr": "mdev-sim did not mount\n", "exit": "-\n",
                    "changes": ""}
        try:
            return run_in_root(case, binaries, work, root, True)
        finally:
            unmount_sim(root)
    shutil.copytree(os.path.join(tpl_dir, case["root"]), root, symlinks=True)
    return run_in_root(case, binaries, work, root, False)


def run_in_root(case, binaries, work, root, is_sim):
    for opt, dest, mode in (("callout", "usr/lib/mdevctl/scripts.d/callouts", 0o755),
                            ("etc-callout", "etc/mdevctl.d/scripts.d/callouts", 0o755),
                            ("notifier", "usr/lib/mdevctl/scripts.d/notifiers", 0o755),
                            ("plain", "usr/lib/mdevctl/scripts.d/callouts", 0o644)):
        for name in filter(None, str(case["opts"].get(opt, "")).split(",")):
            os.makedirs(os.path.join(root, dest), exist_ok=True)
            target = os.path.join(root, dest, name)
            shutil.copyfile(os.path.join(HERE, "scripts", name), target)
            os.chmod(target, mode)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDEVCTL_")}
    env["MDEVCTL_ENV_ROOT"] = root
    if "env" in case["opts"]:
        k, _, v = case["opts"]["env"].partition("=")
        env[k] = v
    for cmd in case["before"]:
        p = run_words(cmd, root, binaries, work, env, subprocess.DEVNULL)
        if p.returncode:
            return {"stdout": "", "stderr": "before: %s: exit %d\n%s" % (
                cmd, p.returncode, p.stderr.decode(errors="replace")), "exit": "-\n",
                "changes": ""}
    before = snapshot(root, is_sim)
    stdin = subprocess.DEVNULL
    if "stdin" in case["opts"]:
        stdin = open(os.path.join(root, case["opts"]["stdin"]), "rb")
    p = run_words(case["cmd"], root, binaries, work, env, stdin)
    after = snapshot(root, is_sim)
    out = p.stdout.decode(errors="replace").replace(root, "$ROOT")
    err = p.stderr.decode(errors="replace").replace(root, "$ROOT")
    err = TS_RE.sub("[TIMESTAMP ", err)
    ch = changes(before, after, is_sim).replace(root, "$ROOT")
    if "gen" in case["opts"]:
        known = set(UUID_RE.findall(case["cmd"])) | set(UUID_RE.findall(" ".join(before)))
        for u in (set(UUID_RE.findall(out + err + ch))) - known:
            out = out.replace(u, "<UUID>")
            err = err.replace(u, "<UUID>")
            ch = ch.replace(u, "<UUID>")
    return {"stdout": out, "stderr": err, "exit": "%d\n" % p.returncode, "changes": ch}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--reference")
    ap.add_argument("--vgpuctl", help="vgpuctl binary, for cases that run it")
    ap.add_argument("--suite", default=HERE,
                    help="folder with <command>/<case>/ and roots/ (default: this one)")
    ap.add_argument("--sim", help="mdev-sim binary, for cases on sim: roots")
    ap.add_argument("--command", help="only the cases of this <command> folder (meson runs one "
                    "test per command)")
    ap.add_argument("only", nargs="*")
    a = ap.parse_args()
    suite = os.path.abspath(a.suite)
    ROOTS.insert(0, os.path.join(suite, "roots"))
    cases = load_cases(suite)
    if a.command:
        cases = [c for c in cases if c["id"].split("/")[0] == a.command]
        if not cases:
            sys.exit("no golden cases for command %r" % a.command)
    if a.only:
        cases = [c for c in cases if any(o in c["id"] for o in a.only)]
    failed = 0
    with tempfile.TemporaryDirectory() as work:
        tpl = os.path.join(work, "tpl")
        for name in sorted({c["root"] for c in cases if not c["root"].startswith(SIM_PREFIX)}):
            build_root(name, os.path.join(tpl, name))
        sim = os.path.abspath(a.sim) if a.sim else None
        for case in cases:
            if case["root"].startswith(SIM_PREFIX) and not sim_usable(sim):
                print("SKIP %s: no mdev-sim (--sim) or no FUSE here" % case["id"])
                continue
            exp_dir = os.path.join(suite, case["id"])
            ours = {"mdevctl": os.path.abspath(a.bin), "lsmdev": os.path.abspath(a.bin),
                    "vgpuctl": os.path.abspath(a.vgpuctl or a.bin)}
            writer = None
            if a.reference and not case["rules"].startswith("DIFF:"):
                writer = dict(ours, mdevctl=os.path.abspath(a.reference),
                              lsmdev=os.path.abspath(a.reference))
            elif a.update:
                writer = ours
            if writer:
                got = run_case(case, writer, tpl, work, sim)
                os.makedirs(exp_dir, exist_ok=True)
                for k, v in got.items():
                    with open(os.path.join(exp_dir, k), "w") as f:
                        f.write(v)
            got = run_case(case, ours, tpl, work, sim)
            diffs = []
            for k, v in got.items():
                try:
                    with open(os.path.join(exp_dir, k)) as f:
                        want = f.read()
                except FileNotFoundError:
                    want = "(no expected file)\n"
                if v != want:
                    diffs += list(difflib.unified_diff(want.splitlines(True), v.splitlines(True),
                                                       "expected/" + k, "actual/" + k))
            if diffs:
                failed += 1
                print("FAIL %s  (%s)" % (case["id"], case["rules"]))
                print("# command: " + case["cmd"])
                for line in diffs[:60]:
                    print("# " + line.rstrip("\n"))
            else:
                print("PASS %s" % case["id"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
