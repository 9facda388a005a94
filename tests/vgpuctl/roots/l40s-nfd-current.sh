# The L40S host whose feature file already says what vgpuctl nfd would write: --output writes nothing.
. "$(dirname "$0")/l40s-nfd-dir.sh"
cat >"$R/etc/kubernetes/node-feature-discovery/features.d/vgpuctl" <<'END'
# vgpuctl nfd: this host's vGPUs for Node Feature Discovery (see vgpuctl(8))
feature.node.kubernetes.io/vgpu.framework.nvidia-vfio=true
feature.node.kubernetes.io/vgpu.free.NVIDIA_L40S-4A=10
feature.node.kubernetes.io/vgpu.free.NVIDIA_L40S-4Q=10
feature.node.kubernetes.io/vgpu.layout=l40s-4q
END
