# A Kaby Lake host (8086:5912) with IOMMU but GVT-g off: no kvmgt, no mdev parent, a 256 MiB
# aperture, and Debian's udev rule that names a missing /usr/sbin/mdevctl.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 5912 256
cmdline intel_iommu=on
modules vfio vfio_iommu_type1 kvm
iommu 8
mkdir -p "$R/lib/udev/rules.d" "$R/usr/bin"
: >"$R/usr/bin/mdevctl"
echo 'ACTION=="add", TEST=="/etc/mdevctl.d/$kernel", RUN+="/bin/sh -c '\''{ /usr/sbin/mdevctl start-parent-mdevs %k 2>&3 | logger -t mdevctl; } 3>&1 1>&2 | logger -t mdevctl -p 2'\''"' >"$R/lib/udev/rules.d/60-mdevctl.rules"
mk_cfg 0000:00:02.0 0c1d2e3f-0000-4000-8000-000000000002 '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
