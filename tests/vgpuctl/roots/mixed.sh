# One host with every framework: the seed's GVT-g parent (mdev) with a running defined vGPU, an
# L40S with one L40S-2Q vGPU, and the Xe GPU with 2 VFs enabled.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
pci_gpu 8086 3e92 1024
cmdline intel_iommu=on i915.enable_gvt=1
modules kvmgt vfio_iommu_type1 vfio_pci vfio mdev kvm nvidia xe
iommu 40
gvt_enabled
gvt_parent 1 2 4 5
mk_dev $GVT i915-GVTg_V5_4 7686131b-b229-4768-a02c-35d1dbed7c66
mk_cfg 0000:00:02.0 7686131b-b229-4768-a02c-35d1dbed7c66 '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
l40s_pf 4
l40s_vf 2 1156
for i in 0 1 3; do l40s_creatable $i $'1153 : NVIDIA L40S-2B\n1156 : NVIDIA L40S-2Q\n1166 : NVIDIA L40S-2A'; done
l40s_creatable 2 ''
xe_pf
xe_vfs 2
