# layout-l40s-used with VF 2 (0000:41:00.5) in use through its VFIO character device
# (vfio-dev/vfio3, open in proc/777/fd/4 as /dev/vfio/devices/vfio3, Linux 6.2+'s iommufd way).
. "$(dirname "$0")/layout-l40s-used.sh"
mkdir -p "$R/sys/devices/pci0000:40/0000:40:01.1/0000:41:00.5/vfio-dev/vfio3" "$R/proc/777/fd"
ln -s /dev/vfio/devices/vfio3 "$R/proc/777/fd/4"
