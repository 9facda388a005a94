# The seed's GVT-g GPU on Linux 6.1, where every type has a name ("GVTg_V5_4", which KubeVirt
# matches instead of the type id), with one running vGPU.
. "$(dirname "$0")/host.sh"
pci_gpu 8086 3e92 1024
cmdline intel_iommu=on i915.enable_gvt=1
modules kvmgt vfio_iommu_type1 vfio_pci vfio mdev kvm
iommu 12
gvt_enabled
mk_parent $GVT 0000:00:02.0
for t in 1:1 2:2 4:4 8:6; do
	mk_type $GVT "i915-GVTg_V5_${t%:*}" "${t#*:}" vfio-pci "GVTg_V5_${t%:*}"
done
mk_dev $GVT i915-GVTg_V5_8 7686131b-b229-4768-a02c-35d1dbed7c66
