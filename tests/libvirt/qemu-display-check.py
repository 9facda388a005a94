#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Does QEMU accept the display libvirt made of a domain? (tests/suites/libvirt, issue 18)

Input: the command line `virsh domxml-to-native qemu-argv` printed for a domain. This runs
Debian's qemu-system-x86_64 with that command line's display options (-spice, -vnc, -display,
exactly as libvirt wrote them, except that VNC and a SPICE display without OpenGL get no TCP
port: tests never listen on the network) and, where the domain's vGPU hostdev has display='on',
with `-device virtio-gpu-gl-pci` in place of the vGPU. That device stands in for the vGPU because
it realizes only when QEMU has an OpenGL display ("opengl is not available" otherwise), the same
condition vfio-pci's DMA-BUF display checks ("vfio-display-dmabuf: opengl not available"); the
vGPU itself cannot exist here. QEMU runs paused (-S, TCG) and is asked over QMP to quit.

This machine has no GPU and no DRM render node, so a QEMU with an OpenGL display stops where it
opens the render node. Where that is tells what was proven:
  started         QMP answered: QEMU initialised everything (a host with a render node)
  render-node-egl-headless   QEMU parsed the display options, realized the stand-in device (so
                  it had an OpenGL display) and stopped at egl-headless's render node, which it
                  opens after creating the devices ("egl: render node init failed")
  render-node-spice          QEMU parsed -spice ...,gl=on, passed its local-only check (no port:
                  "SPICE GL support is local-only" otherwise) and stopped at the render node
                  SPICE GL opens before devices exist ("Failed to initialize EGL render node for
                  SPICE GL"); that QEMU then has an OpenGL display is its code, not shown here
  no-opengl       the stand-in refused: the domain has no OpenGL display (what issue 18 fixes)
  local-only      QEMU refused SPICE GL with a TCP port
  other: ...      anything else (QEMU's first error line)

A second run creates the hostdev's own -device (JSON, as libvirt wrote it) to show that QEMU
knows every property libvirt sets (display, ramfb, ...): it must fail only because the mdev's
sysfs device does not exist here ("hostdev-props-ok"; an unknown property fails first, with
"Property '...' not found").

QEMU's answer depends only on its command line, so with QEMU_CHECK_CACHE set to a directory, each
answer is kept there under a hash of the command line and a later run with the same command line
(many domains make the same display options and the same hostdev) reads it instead of starting
QEMU again; a timeout is never kept.

Usage: qemu-display-check.py ARGV-FILE [--stand-in | --no-stand-in]
  --stand-in     add the stand-in device even without a display='on' hostdev (the control)
  --no-stand-in  none even with one (a vGPU whose display needs no OpenGL: NVIDIA)
Prints one line: <display result> <hostdev result|no-hostdev>."""
import hashlib
import json
import os
import shlex
import subprocess
import sys

QMP = b'{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n'


def qemu(args):
    cache = os.environ.get("QEMU_CHECK_CACHE")
    path = None
    if cache:
        path = os.path.join(cache, hashlib.sha256(json.dumps(args).encode()).hexdigest())
        try:
            with open(path) as f:
                return tuple(json.load(f))
        except FileNotFoundError:
            pass
    try:
        p = subprocess.run(["qemu-system-x86_64"] + args, input=QMP, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return 124, "", "timeout"
    result = (p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"))
    if path:
        with open(path + ".tmp", "w") as f:
            json.dump(result, f)
        os.rename(path + ".tmp", path)
    return result


def classify(rc, out, err):
    if rc == 0 and '"return"' in out and "opengl" not in err:
        return "started"
    if "opengl is not available" in err:
        return "no-opengl"
    if "local-only" in err:
        return "local-only"
    if "Failed to initialize EGL render node for SPICE GL" in err:
        return "render-node-spice"
    if "egl: render node init failed" in err:
        return "render-node-egl-headless"
    first = err.strip().splitlines()[0] if err.strip() else "exit %d" % rc
    return "other: " + first


def main():
    argv = shlex.split(open(sys.argv[1]).read())
    stand_in = "--stand-in" in sys.argv[2:]
    no_stand_in = "--no-stand-in" in sys.argv[2:]
    machine, display, hostdev = "q35", [], None
    for i, a in enumerate(argv[:-1]):
        v = argv[i + 1]
        if a == "-machine":
            machine = v.split(",")[0]
        elif a == "-spice":
            opts = v.split(",")
            if "gl=on" not in opts:
                opts = [o for o in opts if not o.startswith(("port=", "tls-port=", "addr="))]
            display += ["-spice", ",".join(opts)]
        elif a == "-vnc":
            display += ["-vnc", "none"]
        elif a == "-display":
            display += ["-display", v]
        elif a == "-device" and v.startswith("{") and json.loads(v).get("driver", "").startswith("vfio-pci"):
            hostdev = v
    base = ["-S", "-nodefaults", "-machine", machine + ",accel=tcg", "-qmp", "stdio", "-monitor", "none",
            "-serial", "none", "-parallel", "none"]
    on = hostdev is not None and json.loads(hostdev).get("display") == "on"
    dev = ["-device", "virtio-gpu-gl-pci"] if (on or stand_in) and not no_stand_in else []
    result = classify(*qemu(base + display + dev))
    if hostdev is None:
        print(result, "no-hostdev")
        return
    # its PCI bus is one of the domain's root ports, which this QEMU does not have
    dev = {k: v for k, v in json.loads(hostdev).items() if k not in ("bus", "addr")}
    rc, out, err = qemu(base + ["-display", "none", "-device", json.dumps(dev)])
    props_ok = rc != 0 and err.rstrip().endswith("no such host device: No such file or directory")
    print(result, "hostdev-props-ok" if props_ok else "hostdev-props: " + err.strip().replace("\n", " | "))


main()
