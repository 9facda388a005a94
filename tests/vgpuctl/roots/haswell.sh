# A Haswell host (8086:0412, 4th generation Core): before GVT-g, the GPU goes to one guest whole.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 0412 256
cmdline intel_iommu=on
modules vfio vfio_iommu_type1 vfio_pci
iommu 20
