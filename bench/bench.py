#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Benchmark our mdevctl against Debian's mdevctl 1.2.0 on the same large fixture trees.

Both run in one private mount namespace: ours reads the tree through MDEVCTL_ENV_ROOT, the
reference (which ignores that variable) sees it through bind mounts over /sys and
/etc/mdevctl.d. Runs are interleaved; each cell is the median of N runs, with the peak RSS of
each binary. A measurement, not a test: it never fails on a number.

bench.py [--ours PATH] [--ours-static PATH] [--ref /usr/bin/mdevctl] [--runs 20] [--out bench/results.md] [--quick]
         [--callouts-only]
"""
import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COMMANDS = [["--version"], ["list"], ["list", "-d"], ["list", "--dumpjson"], ["list", "-d", "--dumpjson"],
            ["types"], ["types", "--dumpjson"]]
CYCLE_UUID = "d0c8f8b6-0c9e-4d3c-9b41-5a3c1e7f2a10"


def gen(root, n):
    if not os.path.exists(os.path.join(root, ".done")):
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), root, "--active", str(n),
                        "--defined", str(n)], check=True)
        open(os.path.join(root, ".done"), "w").close()


RSS_FILE = "/tmp/mdevkit-bench-rss"
SYS_TMPFS = "/tmp/mdevkit-bench-sys"


def run_once(argv, env, rss=False, check=True):
    """Wall time of one run or, with rss, its peak RSS in KiB. For RSS, GNU time starts the
    program: a child forked straight from this Python process would report Python's peak RSS,
    which the kernel carries across exec; timed runs go without it, so its own start-up does
    not dilute the ratios."""
    if rss:
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", RSS_FILE] + argv, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise RuntimeError("%s failed: %s" % (" ".join(argv), p.stderr.decode(errors="replace")))
        with open(RSS_FILE) as f:
            return 0.0, int(f.read().split()[-1])
    # posix_spawn and waitpid: the least a launcher can add to the time it measures
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status = os.waitpid(pid, 0)
        dt = time.perf_counter() - t0
    finally:
        os.close(devnull)
    if check and os.waitstatus_to_exitcode(status) != 0:
        p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        raise RuntimeError("%s failed: %s" % (" ".join(argv), p.stderr.decode(errors="replace")))
    return dt, 0


class Target:
    def __init__(self, name, binary, env):
        self.name, self.binary, self.env = name, binary, env


def measure(targets, args, runs):
    """Interleaved runs; returns {target: (median seconds, peak rss KiB)}."""
    samples = {t.name: [] for t in targets}
    rss = {t.name: 0 for t in targets}
    for i in range(runs + 1):
        for t in targets:
            measure_rss = i == runs  # one more run per target, for memory only
            if args == "cycle":
                d1, r1 = run_once([t.binary, "define", "-u", CYCLE_UUID, "-p", "0000:10:00.0",
                                   "-t", "nvidia-100"], t.env, measure_rss)
                d2, r2 = run_once([t.binary, "undefine", "-u", CYCLE_UUID], t.env, measure_rss)
                dt, r = d1 + d2, max(r1, r2)
            else:
                dt, r = run_once([t.binary] + args, t.env, measure_rss)
            if measure_rss:
                rss[t.name] = max(rss[t.name], r)
            else:
                samples[t.name].append(dt)
    return {k: (statistics.median(v), rss[k]) for k, v in samples.items()}


def bind_tree(root):
    """Show root's sys and etc/mdevctl.d at /sys and /etc/mdevctl.d (we are in our own mount
    namespace: nothing of this is visible outside). sys is copied into a tmpfs first: the
    kernel's sysfs lives in memory, while etc/mdevctl.d stays on disk, as on a real host."""
    os.makedirs(SYS_TMPFS, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "mdevkit-bench", SYS_TMPFS], check=True)
    subprocess.run(["cp", "-a", os.path.join(root, "sys"), SYS_TMPFS], check=True)
    subprocess.run(["mount", "--bind", os.path.join(SYS_TMPFS, "sys"), os.path.join(root, "sys")],
                   check=True)
    os.makedirs("/etc/mdevctl.d", exist_ok=True)
    for src, dst in ((os.path.join(root, "sys"), "/sys"),
                     (os.path.join(root, "etc/mdevctl.d"), "/etc/mdevctl.d")):
        subprocess.run(["mount", "--bind", src, dst], check=True)


def unbind(root):
    for dst in ("/etc/mdevctl.d", "/sys", os.path.join(root, "sys"), SYS_TMPFS):
        subprocess.run(["umount", "-l", dst], check=False)


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return "%s, %d cores, %s" % (cpu, os.cpu_count(), platform.release())


def ratio(ref, ours):
    return "%.1f×" % (ref / ours) if ours else "-"


def inner(a):
    ours_env = dict(os.environ, MDEVCTL_LOG="error")
    ref_env = dict(os.environ, MDEVCTL_LOG="error")
    ref_env.pop("MDEVCTL_ENV_ROOT", None)
    lines = []
    size = 500 if a.quick else 2000
    root = os.path.join(a.work, "tree-%d" % size)
    gen(root, size)
    ours_env["MDEVCTL_ENV_ROOT"] = root
    targets = [Target("ours", a.ours, ours_env), Target("ref", a.ref, ref_env)]
    if a.ours_static:
        targets.insert(1, Target("static", a.ours_static, ours_env))
    names = [t.name for t in targets]
    bind_tree(root)
    try:
        rows = []
        for cmd in COMMANDS + ["cycle"]:
            res = measure(targets, cmd, a.runs)
            label = "define+undefine" if cmd == "cycle" else " ".join(cmd)
            rows.append((label, res))
            print("%-20s " % label + "  ".join(
                "%s %7.2f ms %5d KiB" % (n, res[n][0] * 1e3, res[n][1]) for n in names) +
                "  ratio %.1fx" % (res["ref"][0] / res["ours"][0]), flush=True)
    finally:
        unbind(root)
    lines.append("## %d parents' worth of devices: %d active, %d defined, 200 types\n" % (4, size, size))
    lines.append("Times are medians in ms; RSS is peak resident memory in KiB. \"static\" is the same "
                 "program built with `-Dstatic_mdevctl=true`.\n")
    ours = [n for n in names if n != "ref"]
    title = {"ours": "ours", "static": "ours static", "ref": "mdevctl 1.2.0"}
    cols = ([title[n] for n in names] + ["ref/" + n for n in ours] +
            ["RSS " + n for n in names] + ["RSS %s/ref" % n for n in ours])
    lines.append("| command | " + " | ".join(cols) + " |")
    lines.append("|---|" + "---:|" * len(cols))
    for label, res in rows:
        tr, rr = res["ref"]
        cells = (["%.2f" % (res[n][0] * 1e3) for n in names] +
                 [ratio(tr, res[n][0]) for n in ours] +
                 ["%d" % res[n][1] for n in names] +
                 ["%.0f %%" % (100.0 * res[n][1] / rr) for n in ours])
        lines.append("| `%s` | " % label + " | ".join(cells) + " |")
    lines.append("")
    lines.append("## Scale series (median ms; per device in µs)\n")
    lines.append("| devices | ours `list` | ours `list -d` | ref `list` | ref `list -d` | ours µs/device (`list`, `list -d`) |")
    lines.append("|---:|---:|---:|---:|---:|---:|")
    pair = [t for t in targets if t.name != "static"]
    for n in ((250, 1000) if a.quick else (250, 1000, 4000)):
        root = os.path.join(a.work, "tree-%d" % n)
        gen(root, n)
        ours_env["MDEVCTL_ENV_ROOT"] = root
        bind_tree(root)
        try:
            l = measure(pair, ["list"], max(5, a.runs // 2))
            d = measure(pair, ["list", "-d"], max(5, a.runs // 2))
        finally:
            unbind(root)
        lines.append("| %d | %.2f | %.2f | %.2f | %.2f | %.1f, %.1f |" % (
            n, l["ours"][0] * 1e3, d["ours"][0] * 1e3, l["ref"][0] * 1e3, d["ref"][0] * 1e3,
            l["ours"][0] * 1e6 / n, d["ours"][0] * 1e6 / n))
        print(lines[-1], flush=True)
    lines.append("")
    lines += callout_rows(a, targets, a.runs)
    return lines


SCRIPTS = {
    # declines every device: the get-attributes call of list, define's and undefine's events
    "decline": "#!/bin/sh\nexit 2\n",
    # claims every device (and knows no version handshake), as a site's legacy callout does
    "accept": "#!/bin/sh\ncase \"$*\" in *\"-a capabilities\"*) exit 2 ;; esac\nexit 0\n",
}
# the same decline as a tiny static program instead of a shell script: its own start costs
# little, so what the caller adds to each run shows (bench.py compiles it with cc)
DECLINE_ELF_C = "int main(void) { return 2; }\n"
CALLS_FILE = "/tmp/mdevkit-bench-calls"
START_UUID = "5a7e0b1c-2d3e-4f50-8a6b-7c8d9e0f1a2b"


def spawn_timed(argv, env):
    """Wall time and CPU time (user + system, of the program and the scripts it ran and
    waited for) of one run, and its exit status (a declining script makes some commands exit
    non-zero by design, so it is reported, not checked)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, ru = os.wait4(pid, 0)
        return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(status)
    finally:
        os.close(devnull)


def argvs_of(cmd):
    if cmd == "cycle":
        return [["define", "-u", CYCLE_UUID, "-p", "0000:10:00.0", "-t", "nvidia-100"], ["undefine", "-u", CYCLE_UUID]]
    return [cmd]


def run_cmd(t, cmd):
    """One run of cmd (define+undefine: both) by target t: (wall s, CPU s, exit statuses)."""
    w = c = 0.0
    codes = []
    for argv in argvs_of(cmd):
        dw, dc, code = spawn_timed([t.binary] + argv, t.env)
        w, c = w + dw, c + dc
        codes.append(code)
    return w, c, tuple(codes)


def script_runs(target, root, script, cmd):
    """How many times cmd runs the script: a copy that counts itself, run once."""
    path = os.path.join(root, "etc/mdevctl.d/scripts.d/callouts/bench")
    script = "decline" if script == "decline-elf" else script  # the same answers
    with open(path, "w") as f:
        f.write(SCRIPTS[script].replace("#!/bin/sh\n", "#!/bin/sh\necho >>%s\n" % CALLS_FILE, 1))
    os.chmod(path, 0o755)
    if os.path.exists(CALLS_FILE):
        os.unlink(CALLS_FILE)
    for argv in argvs_of(cmd):
        subprocess.run([target.binary] + argv, env=target.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.unlink(path)
    if not os.path.exists(CALLS_FILE):
        return 0
    with open(CALLS_FILE) as f:
        return len(f.read())


def decline_elf(work):
    """The path of the compiled decliner (built once into the work directory)."""
    exe = os.path.join(work, "decline-elf")
    if not os.path.exists(exe):
        src = exe + ".c"
        with open(src, "w") as f:
            f.write(DECLINE_ELF_C)
        subprocess.run(["cc", "-O2", "-static", src, "-o", exe], check=True)
    return exe


def set_script(path, script, work=None):
    """Install the script (None: remove it) by renaming a ready copy into place."""
    if script is None:
        if os.path.exists(path):
            os.unlink(path)
        return
    tmp = path + ".new"
    if script == "decline-elf":
        shutil.copyfile(decline_elf(work), tmp)
    else:
        with open(tmp, "w") as f:
            f.write(SCRIPTS[script])
    os.chmod(tmp, 0o755)
    os.rename(tmp, path)


def callout_rows(a, targets, runs):
    """Commands with one callout script installed (etc/mdevctl.d/scripts.d/callouts, which
    both releases read) against the same commands without it, at 200 devices. Everything of a
    row is interleaved: each round runs ours and the reference without the script, then with it
    (the two halves and the two programs taking turns at going first), and the script on its
    own, so that a change in the machine's load reaches every cell alike."""
    pair = [t for t in targets if t.name != "static"]
    ours, ref = pair
    root = os.path.join(a.work, "tree-200")
    gen(root, 200)
    ours.env["MDEVCTL_ENV_ROOT"] = root
    path = os.path.join(root, "etc/mdevctl.d/scripts.d/callouts/bench")
    start = ["start", "-u", START_UUID, "-p", "0000:10:00.0", "-t", "nvidia-100"]
    cases = [("cycle", "decline"), (["list"], "decline"), (["list"], "decline-elf"), (["list", "-d"], "decline"),
             (start, "accept")]
    ms = lambda v: "%.2f / %.2f" % (v[0] * 1e3, v[1] * 1e3)
    table = ["| command | script | runs: ours, 1.2.0 | ours, no script | ours | 1.2.0, no script | 1.2.0 | "
             "1.2.0/ours | per script run: ours, 1.2.0 | one run alone | bound | ours/bound | exit: ours, 1.2.0 | load |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    bind_tree(root)
    try:
        for cmd, script in cases:
            set_script(path, None)
            n = {ours.name: script_runs(ours, root, script, cmd), ref.name: script_runs(ref, root, script, cmd)}
            cells = {(t.name, w): [] for t in pair for w in (False, True)}
            codes = {t.name: set() for t in pair}
            solo = []
            load = [os.getloadavg()[0]]
            # list with a shell script takes seconds a round; the other rows get more rounds
            for i in range(runs if cmd == ["list"] and script == "decline" else 3 * runs):
                halves = (False, True) if i % 2 == 0 else (True, False)
                for with_script in halves:
                    set_script(path, script if with_script else None, a.work)
                    for t in (pair if (i // 2) % 2 == 0 else pair[::-1]):
                        w, c, code = run_cmd(t, cmd)
                        cells[(t.name, with_script)].append((w, c))
                        if with_script:
                            codes[t.name].add(code)
                    if with_script:
                        # the script alone, with the arguments of a get-attributes call
                        w, c, _ = spawn_timed([path, "-t", "nvidia-100", "-e", "get", "-a", "attributes", "-s", "none",
                                               "-u", START_UUID, "-p", "0000:10:00.0"], ours.env)
                        solo.append((w, c))
                load.append(os.getloadavg()[0])
            set_script(path, None)
            med = {k: (statistics.median(x for x, _ in v), statistics.median(y for _, y in v)) for k, v in cells.items()}
            one = (statistics.median(w for w, _ in solo), statistics.median(c for _, c in solo))
            o0, o1, r0, r1 = med[(ours.name, False)], med[(ours.name, True)], med[(ref.name, False)], med[(ref.name, True)]
            bound = tuple(o0[k] + n[ours.name] * one[k] for k in (0, 1))
            per = lambda t, base, full: (tuple((full[k] - base[k]) / n[t] for k in (0, 1)) if n[t] else None)
            po, pr = per(ours.name, o0, o1), per(ref.name, r0, r1)
            label = "define+undefine" if cmd == "cycle" else "start" if cmd == start else " ".join(cmd)
            exits = lambda t: "/".join(",".join(str(c) for c in code) for code in sorted(codes[t]))
            table.append("| `%s` | %s | %d, %d | %s | %s | %s | %s | %s / %s | %s; %s | %s | %s | %.2f / %.2f | %s; %s | %.1f-%.1f |" % (
                label, script, n[ours.name], n[ref.name], ms(o0), ms(o1), ms(r0), ms(r1),
                ratio(r1[0], o1[0]), ratio(r1[1], o1[1]),
                ms(po) if po else "-", ms(pr) if pr else "-", ms(one), ms(bound),
                o1[0] / bound[0], o1[1] / bound[1], exits(ours.name), exits(ref.name), min(load), max(load)))
            print(table[-1], flush=True)
    finally:
        unbind(root)
        set_script(path, None)
    lines = ["## One callout script installed, 200 devices (median ms)\n",
             "Measured %s on %s, %d interleaved rounds for `list` with the shell script, %d for the other rows "
             "(`bench.py --callouts-only`). A script in "
             "`etc/mdevctl.d/scripts.d/callouts` (read by both releases) that declines every call (exit 2) or "
             "accepts every call but the capability probe (exit 0); *decline-elf* declines as a tiny static C "
             "program instead of a shell script, so that what the caller adds to each run shows. Each cell is wall time / CPU time in ms (CPU: "
             "user + system of mdevctl and the scripts it waited for). *runs*: how many times the command ran "
             "the script; *per script run*: (with script - without) / runs; *one run alone*: the script spawned "
             "and waited for from Python; *bound*: ours without the script + runs x one run alone. Targets: "
             "ours <= 1.2 x bound, ours <= the reference. *load*: the 1-minute load average during the row "
             "(2 CPUs).\n" % (datetime.date.today().isoformat(), machine(), runs, 3 * runs)] + table + [""]
    return lines


BEGIN, END = "<!-- measured: begin (bench.py writes this part) -->", "<!-- measured: end -->"


def write_results(path, text):
    """Replace the measured part of path, keeping the analysis written around it."""
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        old = ""
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + BEGIN + "\n" + text + END + old[old.index(END) + len(END):]
    else:
        new = "# Benchmark: mdevkit's mdevctl against Debian's mdevctl 1.2.0\n\n" + BEGIN + "\n" + text + END + "\n"
    with open(path, "w") as f:
        f.write(new)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", default=os.path.join(HERE, "..", "build", "src", "mdevctl", "mdevctl"))
    ap.add_argument("--ours-static", default=os.path.join(HERE, "..", "build-static", "src", "mdevctl", "mdevctl"),
                    help="the -Dstatic_mdevctl=true build (left out when missing)")
    ap.add_argument("--ref", default="/usr/bin/mdevctl")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--work", default="/var/tmp/mdevkit-bench")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--quick", action="store_true", help="small trees, for a smoke run")
    ap.add_argument("--callouts-only", action="store_true",
                    help="only the rows with a callout script installed, printed, results.md left alone")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.ours = os.path.abspath(a.ours)
    a.ours_static = os.path.abspath(a.ours_static) if os.path.exists(a.ours_static) else None
    os.makedirs(a.work, exist_ok=True)
    if not a.inner:
        # re-run ourselves in a private mount namespace
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private", sys.executable,
                              os.path.abspath(__file__), "--inner"] + sys.argv[1:])
    if a.callouts_only:
        targets = [Target("ours", a.ours, dict(os.environ, MDEVCTL_LOG="error")),
                   Target("ref", a.ref, {k: v for k, v in dict(os.environ, MDEVCTL_LOG="error").items()
                                         if k != "MDEVCTL_ENV_ROOT"})]
        for line in callout_rows(a, targets, a.runs):
            print(line)
        return
    lines = inner(a)
    head = ["Measured %s on %s; median of %d interleaved runs per cell (`bash bench/run`); the "
            "fixture's sys/ on tmpfs (sysfs lives in memory), etc/mdevctl.d on disk." % (
                datetime.date.today().isoformat(), machine(), a.runs), ""]
    write_results(a.out, "\n".join(head + lines) + "\n")
    print("written to", a.out)


if __name__ == "__main__":
    main()
