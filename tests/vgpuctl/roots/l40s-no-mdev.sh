# The l40s-used host without any mdev directory (no mdev module, no mdevctl.d): NVIDIA's
# vendor-specific VFIO needs neither.
. "$(dirname "$0")/l40s-used.sh"
rm -rf "$R/sys/bus/mdev" "$R/sys/class/mdev_bus" "$R/etc/mdevctl.d"
