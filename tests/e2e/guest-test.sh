#!/bin/sh
# Runs inside the QEMU guest (busybox): the seed walkthrough on the real vfio-mdev bus of the
# kernel, with our mdevctl (/usr/sbin/mdevctl) and Debian's 1.2.0 (/deb/mdevctl). Reports each
# check as "E2E: PASS name" or "E2E: FAIL name" with "E2E: # detail" lines.
set -u
export PATH=/usr/sbin:/bin
. /guest-lib.sh
P=/sys/class/mdev_bus/0000:00:02.0
U=7686131b-b229-4768-a02c-35d1dbed7c66

mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers \
	/usr/lib/mdevctl/scripts.d/callouts /usr/lib/mdevctl/scripts.d/notifiers
check load-vfio modprobe vfio_iommu_type1
check load-mdev modprobe mdev
check load-gvt-sim modprobe gvt_sim
[ -d $P/mdev_supported_types ] && pass parent-registered || fail parent-registered "$(ls /sys/class/mdev_bus)"

# the differential walk (issue 23): its output goes to the host, which diffs it with mdev-sim's;
# written to a file first so that no kernel message lands inside a line
if /sysfs-walk / /walk.txt >/tmp/walk.out 2>&1; then pass walk-runs; else fail walk-runs "$(tail -n 5 /tmp/walk.out)"; fi
sed 's/^/E2E: W /' /tmp/walk.out

# mdevctl types: the seed's block (this kernel adds a Name line per type, shown by mdevctl)
mdevctl types >/tmp/types
grep -v '    Name: ' /tmp/types >/tmp/types.noname
if diff -u /seed-types.txt /tmp/types.noname >/tmp/d; then pass types-is-the-seeds-block; else fail types-is-the-seeds-block "$(cat /tmp/d)"; fi
eq types-name-line "    Name: GVTg_V5_4" "$(grep -A3 '^  i915-GVTg_V5_4$' /tmp/types | grep Name:)"

check start mdevctl start -u $U -p 0000:00:02.0 --type i915-GVTg_V5_4
[ -d /sys/bus/mdev/devices/$U ] && pass device-in-sysfs || fail device-in-sysfs
eq device-type "i915-GVTg_V5_4" "$(basename "$(readlink /sys/bus/mdev/devices/$U/mdev_type)")"
check define mdevctl define -u $U
check modify-auto mdevctl modify -u $U --auto
eq list-d "$U 0000:00:02.0 i915-GVTg_V5_4 auto (active)" "$(mdevctl list -d)"
eq list "$U 0000:00:02.0 i915-GVTg_V5_4 auto (defined)" "$(mdevctl list)"
eq counts-after-one "1 2 4 5" "$(mdevctl types | sed -n 's/ *Available instances: //p' | tr '\n' ' ' | sed 's/ $//')"

# Debian's mdevctl 1.2.0 on the same kernel agrees
if [ -x /deb/mdevctl ]; then
	eq debian-types-agree "$(mdevctl types)" "$(/deb/mdevctl types)"
	eq debian-list-d-agrees "$(mdevctl list -d)" "$(/deb/mdevctl list -d)"
	eq debian-list-agrees "$(mdevctl list)" "$(/deb/mdevctl list)"
else
	fail debian-mdevctl-present
fi

# past capacity: four more _4 fit, the fifth does not
n=0
for i in 1 2 3 4 5; do
	if mdevctl start -u 00000000-0000-4000-8000-00000000000$i -p 0000:00:02.0 -t i915-GVTg_V5_4 >/tmp/o 2>&1; then n=$((n + 1)); fi
done
eq capacity-four-more "4" "$n"
eq capacity-error "Error: No available instances of i915-GVTg_V5_4 on 0000:00:02.0" "$(cat /tmp/o)"
if echo 00000000-0000-4000-8000-0000000000ff >$P/mdev_supported_types/i915-GVTg_V5_8/create 2>/tmp/e; then
	fail kernel-refuses-past-capacity
else
	pass kernel-refuses-past-capacity
fi
for i in 1 2 3 4; do mdevctl stop -u 00000000-0000-4000-8000-00000000000$i; done
eq stop-frees "1 2 4 5" "$(mdevctl types | sed -n 's/ *Available instances: //p' | tr '\n' ' ' | sed 's/ $//')"

# a simulated reboot: the parent goes away and comes back; autostart brings the vGPU back
check unload rmmod gvt_sim
[ ! -e /sys/bus/mdev/devices/$U ] && pass device-gone-with-parent || fail device-gone-with-parent
check reload modprobe gvt_sim
check autostart mdevctl start-parent-mdevs 0000:00:02.0
eq autostart-list-d "$U 0000:00:02.0 i915-GVTg_V5_4 auto (active)" "$(mdevctl list -d)"

check stop mdevctl stop -u $U
[ ! -e /sys/bus/mdev/devices/$U ] && pass device-removed || fail device-removed
eq list-d-inactive "$U 0000:00:02.0 i915-GVTg_V5_4 auto" "$(mdevctl list -d)"
check undefine mdevctl undefine -u $U
eq list-d-empty "" "$(mdevctl list -d)"
check rmmod-clean rmmod gvt_sim
