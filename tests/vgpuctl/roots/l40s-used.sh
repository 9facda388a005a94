# An L40S with two L40S-4Q vGPUs (VFs 1 and 2; VF 1 defined with start auto), so the free VFs
# list only the 4 GB types; a defined VF 5 holds nothing; type names learned while it was empty.
. "$(dirname "$0")/host.sh"
. "$(dirname "$0")/sriov.sh"
cmdline intel_iommu=on
modules nvidia nvidia_vgpu_vfio vfio vfio_iommu_type1 vfio_pci kvm
iommu 40
l40s_pf 32
l40s_vf 0 1158
l40s_vf 1 1158
for i in $(seq 0 31); do
	l40s_creatable "$i" $'1158 : NVIDIA L40S-4Q\n1168 : NVIDIA L40S-4A'
done
l40s_creatable 0 ''
l40s_creatable 1 ''
mkdir -p "$R/etc/vgpu.d/$L40S"
printf '%s\n' "$L40S_TYPES" >"$R/etc/vgpu.d/$L40S/nvidia-types"
vgpu_def $L40S 1 '{"framework":"nvidia-vfio","type":"NVIDIA L40S-4Q","type_id":1158,"start":"auto"}'
vgpu_def $L40S 5 '{"framework":"nvidia-vfio","type":"NVIDIA L40S-4Q","type_id":1158,"start":"manual"}'
kernel 6.19.0-1-amd64
