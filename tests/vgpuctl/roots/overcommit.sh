# The seed host with more autostart definitions than the GPU holds: two _1 vGPUs defined.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 1912 1024
gvt_parent
mk_cfg 0000:00:02.0 0c1d2e3f-0000-4000-8000-000000000011 '{"mdev_type":"i915-GVTg_V5_1","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 0c1d2e3f-0000-4000-8000-000000000012 '{"mdev_type":"i915-GVTg_V5_1","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 0c1d2e3f-0000-4000-8000-000000000013 '{"mdev_type":"i915-GVTg_V5_2","start":"manual","attrs":[]}'
