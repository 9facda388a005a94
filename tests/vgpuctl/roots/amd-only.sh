# A host whose only GPU is discrete (AMD at 0000:03:00.0): nothing at 0000:00:02.0.
. "$(dirname "$0")/host.sh"
cmdline amd_iommu=on
modules vfio vfio_iommu_type1 vfio_pci
iommu 30
