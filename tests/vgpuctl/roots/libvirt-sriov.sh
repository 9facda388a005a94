# The mixed host (GVT-g, L40S, Xe) with its SR-IOV vGPUs defined start auto, and the domains
# of tests/libvirt in $R/domains.
. "$(dirname "$0")/mixed.sh"
vgpu_def $L40S 3 '{"framework":"nvidia-vfio","type":"NVIDIA L40S-2Q","type_id":1156,"start":"auto"}'
vgpu_def $XE 1 '{"framework":"xe-sriov","type":"xe-vf","start":"auto"}'
vgpu_def $XE 2 '{"framework":"xe-sriov","type":"xe-vf","start":"auto"}'
mkdir -p "$R/domains"
cp "$(dirname "$0")"/../../libvirt/*.xml "$R/domains/"
