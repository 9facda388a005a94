# An Intel Arc Pro B50-like GPU (8086:e212) bound to xe: 12 VFs possible, none enabled,
# sriov_admin present (Linux 6.19+).
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf
