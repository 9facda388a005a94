# A Coffee Lake host (8086:3e92) without VT-d: no IOMMU groups, nothing on the command line.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 3e92 2048
cmdline
modules kvm
