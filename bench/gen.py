#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write a large mdev fixture root: parents with types, running devices and definitions.

gen.py ROOT [--parents 4] [--types 200] [--active 2000] [--defined 2000]

Running devices are spread over the parents and types; the first half of the definitions
belong to running devices (so listings show "(defined)"/"(active)" markers), the rest are
stopped. Symlinks are relative, as the kernel's are, so the tree can be bind-mounted over /sys.
"""
import argparse
import json
import os
import random
import uuid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--parents", type=int, default=4)
    ap.add_argument("--types", type=int, default=200)
    ap.add_argument("--active", type=int, default=2000)
    ap.add_argument("--defined", type=int, default=2000)
    a = ap.parse_args()
    r = a.root
    for d in ("etc/mdevctl.d/scripts.d/callouts", "etc/mdevctl.d/scripts.d/notifiers",
              "usr/lib/mdevctl/scripts.d/callouts", "usr/lib/mdevctl/scripts.d/notifiers",
              "sys/bus/mdev/devices", "sys/class/mdev_bus"):
        os.makedirs(os.path.join(r, d), exist_ok=True)
    parents = ["0000:%02x:00.0" % (0x10 + i) for i in range(a.parents)]
    per = max(1, a.types // a.parents)
    types = {}
    for p in parents:
        pdir = os.path.join(r, "sys/devices/pci0000:00", p)
        os.makedirs(pdir, exist_ok=True)
        os.symlink("../../devices/pci0000:00/" + p, os.path.join(r, "sys/class/mdev_bus", p))
        types[p] = []
        for t in range(per):
            name = "nvidia-%d" % (100 + t)
            tdir = os.path.join(pdir, "mdev_supported_types", name)
            os.makedirs(os.path.join(tdir, "devices"))
            for f, v in (("available_instances", "16"), ("device_api", "vfio-pci"),
                         ("name", "GRID P40-%dQ" % (t % 24 + 1)),
                         ("description", "num_heads=4, frl_config=60, framebuffer=%dM" % (1024 * (t % 8 + 1))),
                         ("create", "")):
                with open(os.path.join(tdir, f), "w") as fh:
                    fh.write(v + ("\n" if v else ""))
            types[p].append(name)
    rng = random.Random(0x5eed)  # the same tree every time
    uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4))
             for i in range(max(a.active, a.defined) + a.defined)]
    active = []
    for i in range(a.active):
        u = uuids[i]
        p = parents[i % len(parents)]
        t = types[p][(i // len(parents)) % per]
        ddir = os.path.join(r, "sys/devices/pci0000:00", p, u)
        os.makedirs(ddir)
        os.symlink("../mdev_supported_types/" + t, os.path.join(ddir, "mdev_type"))
        open(os.path.join(ddir, "remove"), "w").close()
        os.symlink("../../../devices/pci0000:00/%s/%s" % (p, u), os.path.join(r, "sys/bus/mdev/devices", u))
        active.append((u, p, t))
    for i in range(a.defined):
        if i < len(active) and i < a.defined // 2:
            u, p, t = active[i]
        else:
            u = uuids[max(a.active, a.defined) + i]
            p = parents[i % len(parents)]
            t = types[p][i % per]
        cdir = os.path.join(r, "etc/mdevctl.d", p)
        os.makedirs(cdir, exist_ok=True)
        cfg = {"mdev_type": t, "start": "auto" if i % 3 else "manual",
               "attrs": [{"frl_enable": "0"}] if i % 5 == 0 else []}
        with open(os.path.join(cdir, u), "w") as fh:
            fh.write(json.dumps(cfg, indent=2))


if __name__ == "__main__":
    main()
