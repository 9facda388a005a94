# An NVIDIA L40S (10de:26b9, 48 GB) with the vendor-specific VFIO framework: PF bound to nvidia,
# 32 VFs enabled, no vGPU yet (every VF lists every type).
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules nvidia nvidia_vgpu_vfio vfio vfio_iommu_type1 vfio_pci kvm
iommu 40
l40s_pf 32
