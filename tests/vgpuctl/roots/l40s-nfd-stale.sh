# The L40S host whose feature file is from before (another layout, other counts), mode 0600.
. "$(dirname "$0")/l40s-nfd-dir.sh"
f="$R/etc/kubernetes/node-feature-discovery/features.d/vgpuctl"
printf 'feature.node.kubernetes.io/vgpu.layout=old\n' >"$f"
chmod 0600 "$f"
