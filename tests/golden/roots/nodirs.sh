# A root without usr/lib/mdevctl/scripts.d (Debian's 1.2.0 layout): the self-check fails (C-17).
. "$(dirname "$0")/lib.sh"
mkdir -p "$R/etc/mdevctl.d/scripts.d/callouts" "$R/etc/mdevctl.d/scripts.d/notifiers" "$R/usr/lib/mdevctl/scripts.d/callouts"
