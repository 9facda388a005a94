# The Xe GPU (16 GB) on Linux 7.0 with 3 VFs enabled: VFs 1 and 2 were given 4 GiB, VF 3 2 GiB.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules xe vfio vfio_iommu_type1 vfio_pci kvm
iommu 30
xe_pf yes 16
xe_vfs 3
xe_vram_quota 1 4294967296
xe_vram_quota 2 4294967296
xe_vram_quota 3 2147483648
kernel 7.0.0-1-amd64
