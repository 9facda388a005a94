# An Alder Lake-P host (8086:46a6): SR-IOV, not GVT-g.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 46a6 256
cmdline intel_iommu=on
modules vfio vfio_iommu_type1 vfio_pci
iommu 20
