# layout-l40s-used with VF 1 marked busy through mdev-sim's sim_busy hook.
. "$(dirname "$0")/layout-l40s-used.sh"
echo 1 >"$R/sys/devices/pci0000:40/0000:40:01.1/0000:41:00.4/nvidia/sim_busy"
