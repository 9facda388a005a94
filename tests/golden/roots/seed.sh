# The seed's host before the walkthrough: 0000:00:02.0 with the four GVT-g types.
. "$(dirname "$0")/lib.sh"
base_dirs
gvt_parent
