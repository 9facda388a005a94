#!/bin/sh
# Runs inside the QEMU guest of tests/e2e/sriov-run.sh (busybox): the generic PCI SR-IOV path of
# a real kernel on QEMU's NVMe controller (sriov_max_vfs=2), first through our library
# (/sriov-probe, its transcript goes to the host as "E2E: P" lines), then by hand: sriov_numvfs,
# the virtfn<N>/physfn links, the refused changes, a VF bound to vfio-pci with driver_override,
# its /dev/vfio/<group>, and disabling. Reports "E2E: PASS name" / "E2E: FAIL name" with
# "E2E: # detail" lines.
set -u
export PATH=/bin
. /guest-lib.sh
refused() { # name errno-text value file: the write must fail with that error
	if out=$( (echo "$3" >"$4") 2>&1); then
		fail "$1" "writing $3 to $4 succeeded"
	else
		case $out in *"$2"*) pass "$1" ;; *) fail "$1" "want: $2" "got:  $out" ;; esac
	fi
}
link() { basename "$(readlink "$1" 2>/dev/null)"; }

# busybox modprobe ignores softdeps: crc-t10dif and crc64-rocksoft need their crypto
# algorithms loaded first
check load-crc modprobe -a crct10dif_generic crc64_rocksoft_generic
check load-nvme modprobe nvme
PF=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0010 ] && [ -e "$d/sriov_totalvfs" ] && PF=$d
done
[ -n "$PF" ] && pass pf-found || { fail pf-found "no 1b36:0010 with sriov_totalvfs"; exit 0; }
A=$(basename "$PF")
eq pf-address 0000:01:00.0 "$A"
eq pf-driver nvme "$(link "$PF/driver")"
eq totalvfs 2 "$(cat "$PF/sriov_totalvfs")"
eq numvfs-before 0 "$(cat "$PF/sriov_numvfs")"
eq offset-stride-vf-device "1 1 10" "$(cat "$PF/sriov_offset" "$PF/sriov_stride" "$PF/sriov_vf_device" | tr '\n' ' ' | sed 's/ $//')"
eq drivers-autoprobe-on 1 "$(cat "$PF/sriov_drivers_autoprobe")"

# our library: written to a file first so that no kernel message lands inside a line
if /sriov-probe / nvme 2 >/tmp/probe.out 2>&1; then pass probe-runs; else fail probe-runs "$(tail -n 5 /tmp/probe.out)"; fi
sed 's/^/E2E: P /' /tmp/probe.out
eq probe-leaves-vfs-off 0 "$(cat "$PF/sriov_numvfs")"
# the probe leaves drivers off the new VFs: their NVMe controllers are offline until `nvme
# virt-mgmt` gives them queues, so nvme's probe of each fails ("Device not ready; aborting
# initialisation, CSTS=0x2") at error level, and it would race with the checks below
eq probe-leaves-autoprobe-off 0 "$(cat "$PF/sriov_drivers_autoprobe")"
echo 0 >"$PF/sriov_drivers_autoprobe"

# by hand
check enable sh -c "echo 2 >$PF/sriov_numvfs"
eq numvfs-after 2 "$(cat "$PF/sriov_numvfs")"
eq virtfn-links "0000:01:00.1 0000:01:00.2" "$(link "$PF/virtfn0") $(link "$PF/virtfn1")"
[ ! -e "$PF/virtfn2" ] && pass no-third-virtfn || fail no-third-virtfn
V=/sys/bus/pci/devices/0000:01:00.1
eq physfn-links "$A $A" "$(link "$V/physfn") $(link /sys/bus/pci/devices/0000:01:00.2/physfn)"
eq vf-id "0x1b36:0x0010" "$(cat "$V/vendor"):$(cat "$V/device")"
eq vf-unbound "" "$(link "$V/driver")"
[ ! -e "$V/sriov_numvfs" ] && pass vf-has-no-sriov || fail vf-has-no-sriov
refused nonzero-to-nonzero-ebusy "Device or resource busy" 1 "$PF/sriov_numvfs"
refused above-total-erange "Numerical result out of range" 3 "$PF/sriov_numvfs"
eq numvfs-unchanged 2 "$(cat "$PF/sriov_numvfs")"

# a VF to vfio-pci: driver_override, then drivers_probe
check load-vfio-pci modprobe vfio-pci
check driver-override sh -c "echo vfio-pci >$V/driver_override"
eq driver-override-reads vfio-pci "$(cat "$V/driver_override")"
check drivers-probe sh -c "echo 0000:01:00.1 >/sys/bus/pci/drivers_probe"
eq vf-on-vfio-pci vfio-pci "$(link "$V/driver")"
eq other-vf-unbound "" "$(link /sys/bus/pci/devices/0000:01:00.2/driver)"
G=$(link "$V/iommu_group")
case $G in '' | *[!0-9]*) fail vf-iommu-group "iommu_group: '$G'" ;; *) pass vf-iommu-group ;; esac
[ -c "/dev/vfio/$G" ] && pass dev-vfio-group || fail dev-vfio-group "$(ls -l /dev/vfio)"
eq group-holds-the-vf 0000:01:00.1 "$(ls "/sys/kernel/iommu_groups/$G/devices")"

# disabling takes the VFs away, the one vfio-pci holds (no guest has it open) with them
check disable sh -c "echo 0 >$PF/sriov_numvfs"
eq numvfs-disabled 0 "$(cat "$PF/sriov_numvfs")"
[ ! -e "$PF/virtfn0" ] && [ ! -e "$V" ] && pass vfs-gone || fail vfs-gone "$(ls "$PF" | grep virtfn)"
[ ! -e "/dev/vfio/$G" ] && pass dev-vfio-group-gone || fail dev-vfio-group-gone "$(ls -l /dev/vfio)"
