# An L40S on Linux 6.6 (too old for vendor-specific VFIO) whose VF 1 holds a vGPU but was
# rebound to vfio-pci (the nvidia driver must keep it).
. "$(dirname "$0")/l40s.sh"
kernel 6.6.13-amd64
l40s_vf 0 1158
v="$R/sys/devices/pci0000:40/0000:40:01.1/0000:41:00.4"
rm "$v/driver" "$R/sys/bus/pci/drivers/nvidia/0000:41:00.4"
mkdir -p "$R/sys/bus/pci/drivers/vfio-pci"
ln -s ../../../../bus/pci/drivers/vfio-pci "$v/driver"
