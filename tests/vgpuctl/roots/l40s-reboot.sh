# The L40S after a reboot, VFs enabled again (sriov-manage -e in the unit or by hand), all
# empty: VFs 1 and 2 defined L40S-4Q start auto, VF 3 start manual.
. "$(dirname "$0")/l40s.sh"
vgpu_def $L40S 1 '{"framework":"nvidia-vfio","type":"NVIDIA L40S-4Q","type_id":1158,"start":"auto"}'
vgpu_def $L40S 2 '{"framework":"nvidia-vfio","type":"NVIDIA L40S-4Q","type_id":1158,"start":"auto"}'
vgpu_def $L40S 3 '{"framework":"nvidia-vfio","type":"NVIDIA L40S-4Q","type_id":1158,"start":"manual"}'
