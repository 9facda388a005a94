# The Xe GPU with 3 VFs enabled, all defined (start auto) with a profile.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf
xe_vfs 3
for i in 1 2 3; do
	vgpu_def $XE $i '{"framework":"xe-sriov","type":"xe-vf","start":"auto","profile":"exec_quantum_ms=20,sched_priority=normal"}'
done
