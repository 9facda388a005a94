#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Our mdevctl against Debian's mdevctl 1.2.0 on the same fixture trees.

1.2.0 ignores MDEVCTL_ENV_ROOT, so it runs in a private mount namespace with the fixture's sys
bind-mounted over /sys and its etc/mdevctl.d over /etc/mdevctl.d (the real ones are never
touched). Where 1.2.0 and 1.3.0 are documented to differ (contract C-2, C-31 [1.2], C-43 [1.2]),
the case says so and checks that they differ in exactly that way; everywhere else, stdout,
exit status and the files written must be equal.

compare12.py --bin OUR_MDEVCTL [--ref /usr/bin/mdevctl]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
U1 = "11111111-1111-4111-8111-111111111111"
U2 = "22222222-2222-4222-8222-222222222222"
U4 = "44444444-4444-4444-8444-444444444444"
N = "99999999-9999-4999-8999-999999999999"

# (name, root, argv, expected difference or None)
CASES = [
    ("types", "multi", ["types"], None),
    ("types-json", "multi", ["types", "--dumpjson"], None),
    ("types-parent", "multi", ["types", "-p", "0000:2b:00.0"], None),
    ("list-defined", "multi", ["list", "-d"], None),
    ("list-defined-verbose", "multi", ["list", "-d", "-v"], None),
    ("list-defined-json", "multi", ["list", "-d", "--dumpjson"], None),
    ("list-defined-uuid-json", "multi", ["list", "-d", "-u", U4, "--dumpjson"], None),
    ("list-defined-parent", "multi", ["list", "-d", "-p", "0000:2b:00.0"], None),
    ("list-active-undefined-only", "multi", ["list", "-p", "0000:2b:00.0"], None),
    ("list-active-verbose-undefined", "multi", ["list", "-v", "-u", U2], None),
    # C-31 [1.2]: 1.2.0 shows a running device's stored attributes; 1.3.0 only the callout's
    ("list-active-verbose", "multi", ["list", "-v", "-p", "0000:00:02.0"], "stored-attrs"),
    ("list-active-json", "multi", ["list", "--dumpjson", "-u", U1], "stored-attrs"),
    ("seed-types", "seed", ["types"], None),
    ("seed-list-d", "seed-defined", ["list", "-d"], None),
    ("seed-list", "seed-defined", ["list"], None),
    ("define", "multi", ["define", "-u", N, "-p", "0000:00:02.0", "-t", "i915-GVTg_V5_8", "--auto"], None),
    ("define-exists", "multi", ["define", "-u", U1], None),
    ("modify-auto", "multi", ["modify", "-u", U4, "-p", "0000:2b:00.0", "--auto"], None),
    ("modify-addattr", "multi", ["modify", "-u", U1, "--addattr", "k", "--value", "v", "-i", "1"], None),
    ("modify-delattr", "multi", ["modify", "-u", U1, "--delattr"], None),
    ("undefine", "multi", ["undefine", "-u", U4, "-p", "0000:2b:00.0"], None),
    ("start", "multi", ["start", "-u", N, "-p", "0000:2b:00.0", "-t", "nvidia-35"], None),
    ("stop", "multi", ["stop", "-u", U1], None),
]


def snapshot(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                with open(p, "rb") as fh:
                    out[os.path.relpath(p, root)] = fh.read()
    return out


def build(name, dest):
    subprocess.run(["bash", os.path.join(HERE, "roots", name + ".sh")], env=dict(os.environ, R=dest), check=True)
    os.makedirs(os.path.join(dest, "etc/mdevctl.d/scripts.d/callouts"), exist_ok=True)
    os.makedirs(os.path.join(dest, "etc/mdevctl.d/scripts.d/notifiers"), exist_ok=True)


def ours(binary, root, argv):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDEVCTL_")}
    env["MDEVCTL_ENV_ROOT"] = root
    return subprocess.run([binary] + argv, env=env, capture_output=True)


def reference(ref, root, argv):
    script = ('mount --bind "$1/sys" /sys && mkdir -p /etc/mdevctl.d && '
              'mount --bind "$1/etc/mdevctl.d" /etc/mdevctl.d && shift && exec "$@"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDEVCTL_")}
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "_", root, ref] + argv,
                          env=env, capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--ref", default="/usr/bin/mdevctl")
    a = ap.parse_args()
    if not os.access(a.ref, os.X_OK):
        print("FAIL compare-1.2-reference-installed\n# apt-get install mdevctl")
        return 1
    with tempfile.TemporaryDirectory() as work:
        # each fixture root is built once (its script starts dozens of processes) and copied
        tpl = os.path.join(work, "tpl")
        for root in sorted({c[1] for c in CASES}):
            build(root, os.path.join(tpl, root))
        for name, root, argv, diff in CASES:
            r1, r2 = os.path.join(work, "ours"), os.path.join(work, "ref")
            for r in (r1, r2):
                shutil.rmtree(r, ignore_errors=True)
                shutil.copytree(os.path.join(tpl, root), r, symlinks=True)
            p1, p2 = ours(os.path.abspath(a.bin), r1, argv), reference(a.ref, r2, argv)
            s1, s2 = snapshot(os.path.join(r1, "etc")), snapshot(os.path.join(r2, "etc"))
            w1 = {k: v for k, v in snapshot(os.path.join(r1, "sys")).items() if k.endswith(("create", "remove"))}
            w2 = {k: v for k, v in snapshot(os.path.join(r2, "sys")).items() if k.endswith(("create", "remove"))}
            same = p1.stdout == p2.stdout and p1.returncode == p2.returncode and s1 == s2 and w1 == w2
            if diff == "stored-attrs":
                # 1.2.0 adds the stored attributes of U1; without them the outputs agree
                ok = not same and b"myattr" in p2.stdout and b"myattr" not in p1.stdout
                label = "compare-1.2 %s (differs as documented: C-31 [1.2])" % name
            else:
                ok = same
                label = "compare-1.2 %s" % name
            print(("PASS " if ok else "FAIL ") + label)
            if not ok:
                print("# mdevctl " + " ".join(argv))
                for tag, p in (("ours", p1), ("1.2.0", p2)):
                    print("# %s exit %d stdout: %r" % (tag, p.returncode, p.stdout[:300]))
                    print("# %s stderr: %r" % (tag, p.stderr[:300]))
                if s1 != s2:
                    print("# configs differ: %r" % sorted(set(s1.items()) ^ set(s2.items()))[:4])
    return 0


if __name__ == "__main__":
    sys.exit(main())
