# A Broadwell host (8086:1616) with GVT-g: V4 types, 512 MiB aperture.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 1616 512
cmdline intel_iommu=on i915.enable_gvt=1
modules kvmgt vfio_iommu_type1 vfio_pci vfio mdev kvm
iommu 6
gvt_enabled
mk_parent $GVT 0000:00:02.0
mk_type $GVT i915-GVTg_V4_2 1 vfio-pci "" $'low_gm_size: 256MB\nhigh_gm_size: 1024MB\nfence: 4\nresolution: 1920x1200\nweight: 8'
mk_type $GVT i915-GVTg_V4_4 3 vfio-pci "" $'low_gm_size: 128MB\nhigh_gm_size: 512MB\nfence: 4\nresolution: 1920x1200\nweight: 4'
mk_type $GVT i915-GVTg_V4_8 6 vfio-pci "" $'low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 4\nresolution: 1024x768\nweight: 2'
autostart_installed
