# Definitions with vram_quota (made on Linux 7.0) on the Xe GPU booted with Linux 6.19: the
# kernel has sriov_admin but no vram_quota.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf
for i in 1 2; do
	vgpu_def $XE $i '{"framework":"xe-sriov","type":"xe-vf","start":"auto","profile":"exec_quantum_ms=20,vram_quota=6G"}'
done
kernel 6.19.3-amd64
