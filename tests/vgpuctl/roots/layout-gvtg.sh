# The seed host (GVT-g, 1024 MiB aperture) with no vGPU, and the layout file of issue 21.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 3e92 1024
gvt_parent
. "$(dirname "$0")/host-layouts.sh"
