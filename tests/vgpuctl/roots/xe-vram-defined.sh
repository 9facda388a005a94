# The Xe GPU (16 GB) on Linux 7.0 after a reboot: 2 VFs defined (start auto) with 6 GiB of VRAM
# each, none enabled.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf yes 16
for i in 1 2; do
	vgpu_def $XE $i '{"framework":"xe-sriov","type":"xe-vf","start":"auto","profile":"exec_quantum_ms=20,vram_quota=6G"}'
done
kernel 7.0.0-1-amd64
