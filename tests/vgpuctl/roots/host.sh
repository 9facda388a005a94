# Helpers for host fixtures: PCI devices, kernel command line, modules, IOMMU groups.
# shellcheck shell=bash
. "$(dirname "$0")/../../golden/roots/lib.sh"
base_dirs
# pci_gpu VENDOR DEVICE APERTURE_MB: the GPU at 0000:00:02.0 with its BARs
pci_gpu() {
	local d="$R/sys/devices/pci0000:00/0000:00:02.0"
	mkdir -p "$d" "$R/sys/bus/pci/devices"
	ln -s ../../../devices/pci0000:00/0000:00:02.0 "$R/sys/bus/pci/devices/0000:00:02.0"
	echo "0x$1" >"$d/vendor"
	echo "0x$2" >"$d/device"
	echo 0x030000 >"$d/class"
	local ap=$(( $3 * 1024 * 1024 ))
	printf '0x00000000f6000000 0x00000000f6ffffff 0x0000000000140204\n' >"$d/resource"
	printf '0x0000000000000000 0x0000000000000000 0x0000000000000000\n' >>"$d/resource"
	printf '0x00000000e0000000 0x%016x 0x000000000014220c\n' $(( 0xe0000000 + ap - 1 )) >>"$d/resource"
}
cmdline() { mkdir -p "$R/proc"; echo "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet $*" >"$R/proc/cmdline"; }
modules() { mkdir -p "$R/proc"; : >"$R/proc/modules"; for m in "$@"; do echo "$m 16384 0 - Live 0x0" >>"$R/proc/modules"; done; }
iommu() { for i in $(seq 0 "$1"); do mkdir -p "$R/sys/kernel/iommu_groups/$i/devices"; done; }
gvt_enabled() { mkdir -p "$R/sys/module/i915/parameters"; echo Y >"$R/sys/module/i915/parameters/enable_gvt"; }
autostart_installed() {
	mkdir -p "$R/usr/lib/udev/rules.d" "$R/usr/sbin" "$R/usr/lib/systemd/system" \
		"$R/etc/systemd/system/multi-user.target.wants"
	: >"$R/usr/sbin/mdevctl"
	echo 'ACTION=="add", TEST=="/etc/mdevctl.d/$kernel", RUN+="/bin/sh -c '\''{ /usr/sbin/mdevctl start-parent-mdevs %k 2>&3 | logger -t mdevctl; } 3>&1 1>&2 | logger -t mdevctl -p 2'\''"' \
		>"$R/usr/lib/udev/rules.d/60-mdevctl.rules"
	: >"$R/usr/lib/systemd/system/mdev-autostart.service"
	ln -s /usr/lib/systemd/system/mdev-autostart.service \
		"$R/etc/systemd/system/multi-user.target.wants/mdev-autostart.service"
}
