# An L40S whose VFs hold two types of one size (L40S-4Q on VF 1, L40S-4A on VF 2): the same
# vendor:device, so KubeVirt's PCI plugin cannot tell them apart.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules nvidia nvidia_vgpu_vfio vfio vfio_iommu_type1 vfio_pci kvm
iommu 40
l40s_pf 4
l40s_vf 0 1158
l40s_vf 1 1168
for i in 2 3; do l40s_creatable "$i" $'1158 : NVIDIA L40S-4Q\n1168 : NVIDIA L40S-4A'; done
l40s_creatable 0 ''
l40s_creatable 1 ''
mkdir -p "$R/etc/vgpu.d/$L40S"
printf '%s\n' "$L40S_TYPES" >"$R/etc/vgpu.d/$L40S/nvidia-types"
kernel 6.19.0-1-amd64
