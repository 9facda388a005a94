# applied_layout TEXT: etc/vgpu.d/applied-layout as vgpuctl apply records it, bytes as given
# shellcheck shell=bash
applied_layout() {
	mkdir -p "$R/etc/vgpu.d"
	printf '%s' "$1" >"$R/etc/vgpu.d/applied-layout"
}
# nfd_dir: NFD's feature file directory, as its DaemonSet's hostPath mount makes it
nfd_dir() { mkdir -p "$R/etc/kubernetes/node-feature-discovery/features.d"; }
