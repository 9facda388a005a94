# The overcommitted seed host whose autostart definitions name a type with a "/" (a hand-written
# config), so that plan --json prints a warning holding one.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 1912 1024
gvt_parent
mk_cfg 0000:00:02.0 0c1d2e3f-0000-4000-8000-000000000011 '{"mdev_type":"x/i915-GVTg_V5_1","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 0c1d2e3f-0000-4000-8000-000000000012 '{"mdev_type":"x/i915-GVTg_V5_1","start":"auto","attrs":[]}'
