# The L40S host with an applied-layout record past the 1 MiB the library reads of it.
. "$(dirname "$0")/l40s-used.sh"
. "$(dirname "$0")/applied.sh"
applied_layout "{\"config\": \"l40s-4q\", \"file\": \"$(head -c 1100000 /dev/zero | tr '\0' x)\"}"
