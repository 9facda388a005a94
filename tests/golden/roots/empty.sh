# No parents, no devices, no definitions: only the directories a packaged mdevctl has.
. "$(dirname "$0")/lib.sh"
base_dirs
