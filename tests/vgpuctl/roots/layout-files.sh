# Layout files (issue 21) under $R/layouts: our examples (examples/layouts), the bad inputs of
# tests/vgpuctl/layouts, and two made here: not UTF-8, and one byte past the size bound.
. "$(dirname "$0")/../../golden/roots/lib.sh"
base_dirs
here=$(dirname "$0")
mkdir -p "$R/layouts"
cp "$here/../../../examples/layouts/"*.yaml "$here/../layouts/"*.yaml "$R/layouts/"
printf 'version: v1\nvgpu-configs:\n  caf\xe9:\n' >"$R/layouts/bad-latin1.yaml"
head -c 1048577 /dev/zero | tr '\0' '#' >"$R/layouts/bad-too-large.yaml"
{ printf 'version: v1\nvgpu-configs:\n'; for i in $(seq 1 25); do printf '  c%d:\n    - devices: all\n      vgpu-devices: {xe-vf: %d}\n' "$i" "$i"; done; } >"$R/layouts/many-configs.yaml"
