# The Xe GPU (16 GB) on Linux 7.0: sriov_admin with each VF's vram_quota, none enabled.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf yes 16
kernel 7.0.0-1-amd64
