# The L40S host with an applied-layout record without a "config" string.
. "$(dirname "$0")/l40s-used.sh"
. "$(dirname "$0")/applied.sh"
applied_layout '{"config": 4, "file": "/etc/vgpuctl/config.yaml"}'
