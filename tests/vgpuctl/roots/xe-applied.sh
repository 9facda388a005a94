# The Xe GPU with 3 VFs enabled and the layout "xe-3" applied (issue 21).
. "$(dirname "$0")/xe-enabled.sh"
. "$(dirname "$0")/applied.sh"
applied_layout '{"config": "xe-3", "file": "/etc/vgpuctl/config.yaml"}'
