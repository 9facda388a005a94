# The Xe GPU on a kernel before 6.19: SR-IOV but no sriov_admin.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf no
kernel 6.12.57+deb13-amd64
