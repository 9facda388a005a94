# The L40S host with an applied config whose name cannot be a label value (a space).
. "$(dirname "$0")/l40s-used.sh"
. "$(dirname "$0")/applied.sh"
applied_layout '{"config": "four Q", "file": "/etc/vgpuctl/config.yaml"}'
