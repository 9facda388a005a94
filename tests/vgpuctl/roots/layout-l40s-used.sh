# l40s-used (two L40S-4Q vGPUs, VF 1 defined auto, VF 2 not defined, VF 5 defined but empty)
# and the layout file of issue 21.
. "$(dirname "$0")/l40s-used.sh"
. "$(dirname "$0")/host-layouts.sh"
