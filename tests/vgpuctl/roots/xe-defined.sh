# The Xe GPU after a reboot: 2 VFs defined (start auto) with a profile, none enabled; an old
# kernel's NVIDIA-less host otherwise.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf
for i in 1 2; do
	vgpu_def $XE $i '{"framework":"xe-sriov","type":"xe-vf","start":"auto","profile":"exec_quantum_ms=25,preempt_timeout_us=500000,sched_priority=high"}'
done
