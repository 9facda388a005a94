# The ready Skylake GVT-g host with the layout "gvtg-mixed" applied (issue 21).
. "$(dirname "$0")/ready-gen9.sh"
. "$(dirname "$0")/applied.sh"
applied_layout '{"config": "gvtg-mixed", "file": "/etc/vgpuctl/config.yaml"}'
