#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""How many times libvirt would re-read the mdev definitions for one config write (issue 18.5).

libvirt 9.0 (src/node_device/node_device_udev.c) watches /etc/mdevctl.d and each directory
below it with a GLib file monitor (G_FILE_MONITOR_NONE). Every event re-arms a 100 ms timer that
starts a refresh (`mdevctl list --dumpjson --defined`); a CHANGES_DONE_HINT event starts one at
once. This script does the same with GLib's own monitor on a fixture root, runs a number of
define + modify + undefine commands of the given mdevctl, and counts the refreshes.

usage: /usr/bin/python3 bench/libvirt-refreshes.py MDEVCTL [ROUNDS]   (needs python3-gi)
"""
import os
import shutil
import subprocess
import sys
import tempfile

import gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class Watcher:
    def __init__(self, top):
        self.monitors, self.refreshes, self.timer = [], 0, 0
        self.watch(Gio.File.new_for_path(top))

    def watch(self, f):
        m = f.monitor_directory(Gio.FileMonitorFlags.NONE, None)
        m.connect("changed", self.changed)
        self.monitors.append(m)
        for info in f.enumerate_children("standard::*", Gio.FileQueryInfoFlags.NONE, None):
            if info.get_file_type() == Gio.FileType.DIRECTORY:
                self.watch(f.get_child(info.get_name()))

    def refresh(self):
        if self.timer:
            GLib.source_remove(self.timer)
            self.timer = 0
        self.refreshes += 1
        return False

    def changed(self, _mon, f, _other, event):
        if event == Gio.FileMonitorEvent.CREATED and \
                f.query_file_type(Gio.FileQueryInfoFlags.NONE, None) == Gio.FileType.DIRECTORY:
            self.watch(f)
        if event == Gio.FileMonitorEvent.CHANGES_DONE_HINT:
            self.refresh()
            return
        if self.timer:
            GLib.source_remove(self.timer)
        self.timer = GLib.timeout_add(100, self.refresh)


def settle(ms):
    ctx = GLib.MainContext.default()
    end = GLib.get_monotonic_time() + ms * 1000
    while GLib.get_monotonic_time() < end:
        ctx.iteration(False)
        GLib.usleep(2000)


def main():
    exe, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with tempfile.TemporaryDirectory() as work:
        root = os.path.join(work, "root")
        subprocess.run(["bash", os.path.join(HERE, "..", "tests", "golden", "roots", "multi.sh")],
                       env=dict(os.environ, R=root), check=True)
        env = dict(os.environ, MDEVCTL_ENV_ROOT=root)
        w = Watcher(os.path.join(root, "etc", "mdevctl.d"))
        settle(300)
        counts = {}
        for what in ("define", "modify", "undefine"):
            w.refreshes = 0
            for i in range(rounds):
                u = "abcdef00-0000-4000-8000-%012d" % i
                args = {"define": ["define", "-u", u, "-p", "0000:2b:00.0", "-t", "nvidia-35"],
                        "modify": ["modify", "-u", u, "--addattr", "a", "--value", "1"],
                        "undefine": ["undefine", "-u", u]}[what]
                subprocess.run([exe] + args, env=env, check=True, stdout=subprocess.DEVNULL)
                settle(400)  # past libvirt's 100 ms debounce and GLib's own rate limit
            counts[what] = w.refreshes / rounds
        print("refreshes per command: " + ", ".join("%s %.1f" % kv for kv in counts.items()))


if __name__ == "__main__":
    main()
