# The layout file of the apply and assert cases (issue 21), written to $R/host-layouts.yaml: configs
# for the GVT-g host (GPU 0), the L40S and the Xe GPU (each GPU 0 of its own host).
# shellcheck shell=bash
cat >"$R/host-layouts.yaml" <<'YAML'
version: v1
vgpu-configs:
  gvt-small:
    - devices: all
      vgpu-devices:
        i915-GVTg_V5_4: 2
        i915-GVTg_V5_8: 1
  gvt-fours:
    - devices: all
      vgpu-devices:
        i915-GVTg_V5_4: 2
  gvt-name:
    - devices: [0]
      vgpu-devices:
        GVTg_V5_2: 1
  gvt-too-many:
    - devices: all
      vgpu-devices:
        i915-GVTg_V5_4: 6
  gvt-unknown-type:
    - devices: all
      vgpu-devices:
        i915-GVTg_V5_16: 1
  index-out-of-range:
    - devices: [0, 3]
      vgpu-devices:
        i915-GVTg_V5_4: 1
  l40s-4q:
    - devices: all
      vgpu-devices:
        L40S-4Q: 3
  l40s-4a:
    - devices: [0]
      vgpu-devices:
        NVIDIA L40S-4A: 2
  l40s-mixed-sizes:
    - devices: all
      vgpu-devices:
        L40S-4Q: 2
        L40S-8Q: 1
  l40s-too-many:
    - devices: all
      vgpu-devices:
        L40S-4Q: 13
  xe-2:
    - devices: all
      vgpu-devices:
        xe-vf: 2
  xe-3:
    - devices: all
      vgpu-devices:
        xe-vf: 3
  xe-13:
    - devices: all
      vgpu-devices:
        xe-vf: 13
YAML
