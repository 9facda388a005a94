# Helpers for fixture roots: a tree laid out like the kernel's mdev sysfs and mdevctl's config
# directories, under $R. Symlinks are relative, as the kernel's are.
# shellcheck shell=bash
set -eu
base_dirs() {
	mkdir -p "$R/etc/mdevctl.d" "$R/run" "$R/usr/lib/mdevctl/scripts.d/callouts" \
		"$R/usr/lib/mdevctl/scripts.d/notifiers" "$R/sys/bus/mdev/devices" "$R/sys/class/mdev_bus"
}
# mk_parent DEVPATH NAME: a parent device registered with the mdev core
mk_parent() {
	mkdir -p "$R/sys/devices/$1/mdev_supported_types"
	ln -s "../../devices/$1" "$R/sys/class/mdev_bus/$2"
}
# mk_type DEVPATH TYPE AVAILABLE API [NAME] [DESCRIPTION]
mk_type() {
	local d="$R/sys/devices/$1/mdev_supported_types/$2"
	mkdir -p "$d/devices"
	echo "$3" >"$d/available_instances"
	echo "$4" >"$d/device_api"
	: >"$d/create"
	if [ -n "${5:-}" ]; then echo "$5" >"$d/name"; fi
	if [ -n "${6:-}" ]; then printf '%s\n' "$6" >"$d/description"; fi
}
# mk_dev DEVPATH TYPE UUID: a running mediated device
mk_dev() {
	mkdir -p "$R/sys/devices/$1/$3"
	ln -s "../mdev_supported_types/$2" "$R/sys/devices/$1/$3/mdev_type"
	: >"$R/sys/devices/$1/$3/remove"
	ln -s "../../../devices/$1/$3" "$R/sys/bus/mdev/devices/$3"
}
# mk_cfg PARENT UUID JSON: a definition, bytes as given
mk_cfg() {
	mkdir -p "$R/etc/mdevctl.d/$1"
	printf '%s' "$3" >"$R/etc/mdevctl.d/$1/$2"
}
GVT=pci0000:00/0000:00:02.0
# the seed's host: an Intel GPU with GVT-g and a 1024 MiB aperture (counts 1/2/5/7)
gvt_parent() {
	mk_parent $GVT 0000:00:02.0
	mk_type $GVT i915-GVTg_V5_1 "${1:-1}" vfio-pci "" $'low_gm_size: 512MB\nhigh_gm_size: 2048MB\nfence: 4\nresolution: 1920x1200\nweight: 16'
	mk_type $GVT i915-GVTg_V5_2 "${2:-2}" vfio-pci "" $'low_gm_size: 256MB\nhigh_gm_size: 1024MB\nfence: 4\nresolution: 1920x1200\nweight: 8'
	mk_type $GVT i915-GVTg_V5_4 "${3:-5}" vfio-pci "" $'low_gm_size: 128MB\nhigh_gm_size: 512MB\nfence: 4\nresolution: 1920x1200\nweight: 4'
	mk_type $GVT i915-GVTg_V5_8 "${4:-7}" vfio-pci "" $'low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 4\nresolution: 1024x768\nweight: 2'
}
