# The L40S-used host with definitions that do not parse (a torn file, an unknown key, a VF
# number that is no number): each is skipped with a warning, the good ones listed.
. "$(dirname "$0")/l40s-used.sh"
printf '{"framework":"nvidia-vfio","type":"NVIDIA L4' >"$R/etc/vgpu.d/$L40S/vf7"
vgpu_def $L40S 8 '{"framework":"nvidia-vfio","type":"NVIDIA L40S-4Q","type_id":1158,"start":"auto","extra":1}'
vgpu_def $L40S x '{"framework":"nvidia-vfio","type":"NVIDIA L40S-4Q","type_id":1158,"start":"auto"}'
