# The L40S host with an applied-layout record cut short (not JSON).
. "$(dirname "$0")/l40s-used.sh"
. "$(dirname "$0")/applied.sh"
applied_layout '{"config": "l40s-4'
