# An NVIDIA L40S bound to nvidia with no VFs enabled yet (before sriov-manage -e).
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules nvidia nvidia_vgpu_vfio vfio vfio_iommu_type1 vfio_pci kvm
iommu 40
l40s_pf 0
