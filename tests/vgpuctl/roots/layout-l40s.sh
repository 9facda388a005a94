# An L40S with its 32 VFs enabled and no vGPU yet, and the layout file of issue 21.
. "$(dirname "$0")/l40s.sh"
. "$(dirname "$0")/host-layouts.sh"
