# An integrated Xe GPU (8086:b080) on Linux 7.0: sriov_admin with the scheduling profiles, no
# vram_quota (its VFs use system memory), 7 VFs possible.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_igpu_pf
kernel 7.0.0-1-amd64
