# xe-enabled (3 VFs enabled, defined auto with a profile) and the layout file of issue 21.
. "$(dirname "$0")/xe-enabled.sh"
. "$(dirname "$0")/host-layouts.sh"
