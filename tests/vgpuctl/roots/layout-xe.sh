# The Xe GPU (12 VFs, none enabled) and the layout file of issue 21.
. "$(dirname "$0")/xe.sh"
. "$(dirname "$0")/host-layouts.sh"
