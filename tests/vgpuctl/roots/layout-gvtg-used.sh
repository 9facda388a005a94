# The seed host with three vGPUs: two i915-GVTg_V5_4 (one defined auto, one running without a
# definition) and an i915-GVTg_V5_2 defined manual; a stopped _1 definition; the layout file.
# The UUIDs sort before any generated one, so the golden files do not depend on chance.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 3e92 1024
gvt_parent 0 0 2 5
A=00000000-0000-4000-8000-00000000000a
B=00000000-0000-4000-8000-00000000000b
C=00000000-0000-4000-8000-00000000000c
D=00000000-0000-4000-8000-00000000000d
mk_dev $GVT i915-GVTg_V5_4 $A
mk_cfg 0000:00:02.0 $A '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
mk_dev $GVT i915-GVTg_V5_4 $B
mk_dev $GVT i915-GVTg_V5_2 $C
mk_cfg 0000:00:02.0 $C '{"mdev_type":"i915-GVTg_V5_2","start":"manual","attrs":[]}'
mk_cfg 0000:00:02.0 $D '{"mdev_type":"i915-GVTg_V5_1","start":"auto","attrs":[]}'
. "$(dirname "$0")/host-layouts.sh"
