# The L40S with two L40S-4Q vGPUs and the layout "l40s-4q" applied (issue 21).
. "$(dirname "$0")/l40s-used.sh"
. "$(dirname "$0")/applied.sh"
applied_layout '{"config": "l40s-4q", "file": "/etc/vgpuctl/config.yaml"}'
