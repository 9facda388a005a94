# layout-gvtg-used with the _2 vGPU in use as a kernel shows it: its IOMMU group 12 is open in a
# process (proc/4242/fd/9 -> /dev/vfio/12), as QEMU holds a guest's vGPU.
. "$(dirname "$0")/layout-gvtg-used.sh"
mkdir -p "$R/sys/kernel/iommu_groups/12/devices" "$R/proc/4242/fd" "$R/proc/4243/fd"
ln -s ../../../../kernel/iommu_groups/12 "$R/sys/devices/$GVT/$C/iommu_group"
ln -s /dev/vfio/vfio "$R/proc/4242/fd/8"
ln -s /dev/vfio/12 "$R/proc/4242/fd/9"
ln -s /dev/vfio/13 "$R/proc/4243/fd/3"
