# The L40S host with an applied-layout record past the 64 KiB vgpuctl nfd reads of it.
. "$(dirname "$0")/l40s-used.sh"
. "$(dirname "$0")/applied.sh"
applied_layout "{\"config\": \"l40s-4q\", \"file\": \"$(head -c 70000 /dev/zero | tr '\0' x)\"}"
