# An NVIDIA vGPU host (parent bound to the "nvidia" driver, types nvidia-N named "GRID ...") with
# one vGPU running and defined with start auto (U1), a running one of a type without a name (U2)
# on a GPU that shows no driver, and the domains of tests/libvirt in $R/domains.
. "$(dirname "$0")/../../golden/roots/lib.sh"
base_dirs
NV=pci0000:00/0000:00:03.0/0000:2b:00.0
mk_parent $NV 0000:2b:00.0
mk_type $NV nvidia-35 16 vfio-pci "GRID M60-0B" "num_heads=2, frl_config=45, framebuffer=512M, max_resolution=2560x1600, max_instance=16"
mkdir -p "$R/sys/devices/$NV/drm/card1" "$R/sys/devices/$NV/drm/renderD129" "$R/sys/bus/pci/drivers/nvidia"
ln -s ../../../../bus/pci/drivers/nvidia "$R/sys/devices/$NV/driver"
U1=5e1a0001-0000-4000-8000-000000000001
mk_dev $NV nvidia-35 $U1
mk_cfg 0000:2b:00.0 $U1 '{"mdev_type":"nvidia-35","start":"auto","attrs":[]}'
NV2=pci0000:00/0000:00:03.1/0000:2c:00.0
mk_parent $NV2 0000:2c:00.0
mk_type $NV2 nvidia-36 16 vfio-pci
U2=5e1a0001-0000-4000-8000-000000000002
mk_dev $NV2 nvidia-36 $U2
mk_cfg 0000:2c:00.0 $U2 '{"mdev_type":"nvidia-36","start":"auto","attrs":[]}'
mkdir -p "$R/domains"
cp "$(dirname "$0")"/../../libvirt/*.xml "$R/domains/"
