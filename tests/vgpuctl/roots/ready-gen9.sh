# A ready Skylake host (8086:1912): IOMMU, GVT-g on, modules, 1024 MiB aperture, a parent with
# one running vGPU and an autostart definition, the udev rule and the unit in place.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 1912 1024
cmdline intel_iommu=on i915.enable_gvt=1
modules kvmgt vfio_iommu_type1 vfio_pci vfio mdev kvm
iommu 12
gvt_enabled
gvt_parent 1 2 4 5
mk_dev $GVT i915-GVTg_V5_4 7686131b-b229-4768-a02c-35d1dbed7c66
mk_cfg 0000:00:02.0 7686131b-b229-4768-a02c-35d1dbed7c66 '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 0c1d2e3f-0000-4000-8000-000000000001 '{"mdev_type":"i915-GVTg_V5_8","start":"auto","attrs":[]}'
autostart_installed
