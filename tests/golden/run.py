#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Golden tests of mdevctl/lsmdev: each case runs the real binary on a fresh copy of a fixture
root (MDEVCTL_ENV_ROOT) and compares stdout, stderr, the exit status and the files it changed
with the expected ones.

A case is a directory <command>/<case>/ (e.g. start/seed-2-start) holding
  case     what to run, as "key: value" lines:
             root     a script in roots/ that builds the fixture tree (our own fixtures)
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
           with the new contents

run.py --bin PATH [--update] [--reference PATH] [--suite DIR] [ID-SUBSTRING...]
  --update     rewrite expected files from --bin (after an intended change; review the diff)
  --reference  rewrite expected files from another mdevctl binary, e.g. an upstream release
               built by the developer (cases marked DIFF: are left alone)
  --suite      another folder laid out the same way (tests/vgpuctl)
Prints "PASS <id>" / "FAIL <id>" per case (tests/run's protocol).
"""
import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

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
            fields = {}
            with open(path) as f:
                for n, line in enumerate(f, 1):
                    key, sep, value = line.rstrip("\n").partition(": ")
                    if not sep or key not in ("root", "rules", "command", "options"):
                        sys.exit("%s:%d: expected root:, rules:, command: or options:" % (path, n))
                    fields[key] = value.strip()
            for key in ("root", "rules", "command"):
                if key not in fields:
                    sys.exit("%s: no %s: line" % (path, key))
            options = {}
            for o in fields.get("options", "").split():
                k, _, v = o.partition("=")
                options[k] = v or True
            cases.append({"id": command + "/" + name, "root": fields["root"],
                          "rules": fields["rules"], "cmd": fields["command"], "opts": options})
    if not cases:
        sys.exit("no cases under %s" % suite)
    return cases


ROOTS = [os.path.join(HERE, "roots")]


def build_root(name, dest):
    env = dict(os.environ, R=dest)
    for d in ROOTS:
        script = os.path.join(d, name + ".sh")
        if os.path.exists(script):
            subprocess.run(["bash", script], env=env, check=True)
            return
    sys.exit("no fixture root named %s" % name)


def snapshot(root):
    """path -> ('d',) | ('l', target) | ('f', bytes)"""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if os.path.islink(full):
                snap[rel] = ("l", os.readlink(full))
            elif os.path.isdir(full):
                snap[rel] = ("d",)
            else:
                with open(full, "rb") as f:
                    snap[rel] = ("f", f.read())
    return snap


def changes(before, after):
    out = []
    for path in sorted(set(before) | set(after)):
        b, a = before.get(path), after.get(path)
        if b == a:
            continue
        tag = "A" if b is None else "D" if a is None else "M"
        out.append("%s %s" % (tag, path))
        if a is not None and a[0] == "f":
            out.append("  " + repr(a[1]))
        elif a is not None and a[0] == "l":
            out.append("  -> " + a[1])
    return "\n".join(out) + ("\n" if out else "")


def run_case(case, binaries, tpl_dir, work):
    root = os.path.join(work, "root")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(os.path.join(tpl_dir, case["root"]), root, symlinks=True)
    for opt, dest, mode in (("callout", "usr/lib/mdevctl/scripts.d/callouts", 0o755),
                            ("etc-callout", "etc/mdevctl.d/scripts.d/callouts", 0o755),
                            ("notifier", "usr/lib/mdevctl/scripts.d/notifiers", 0o755),
                            ("plain", "usr/lib/mdevctl/scripts.d/callouts", 0o644)):
        for name in filter(None, str(case["opts"].get(opt, "")).split(",")):
            os.makedirs(os.path.join(root, dest), exist_ok=True)
            target = os.path.join(root, dest, name)
            shutil.copyfile(os.path.join(HERE, "scripts", name), target)
            os.chmod(target, mode)
    before = snapshot(root)
    words = shlex.split(case["cmd"].replace("$ROOT", root))
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, words[0])
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(binaries[words[0]], link)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDEVCTL_")}
    env["MDEVCTL_ENV_ROOT"] = root
    if "env" in case["opts"]:
        k, _, v = case["opts"]["env"].partition("=")
        env[k] = v
    stdin = subprocess.DEVNULL
    if "stdin" in case["opts"]:
        stdin = open(os.path.join(root, case["opts"]["stdin"]), "rb")
    p = subprocess.run([link] + words[1:], env=env, stdin=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, cwd=work, timeout=60)
    after = snapshot(root)
    out = p.stdout.decode(errors="replace").replace(root, "$ROOT")
    err = p.stderr.decode(errors="replace").replace(root, "$ROOT")
    err = TS_RE.sub("[TIMESTAMP ", err)
    ch = changes(before, after).replace(root, "$ROOT")
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
        for name in sorted({c["root"] for c in cases}):
            build_root(name, os.path.join(tpl, name))
        for case in cases:
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
                got = run_case(case, writer, tpl, work)
                os.makedirs(exp_dir, exist_ok=True)
                for k, v in got.items():
                    with open(os.path.join(exp_dir, k), "w") as f:
                        f.write(v)
            got = run_case(case, ours, tpl, work)
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
