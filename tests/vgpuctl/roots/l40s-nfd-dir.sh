# The L40S host with the layout applied and NFD's feature directory present (vgpuctl nfd --output).
. "$(dirname "$0")/l40s-applied.sh"
nfd_dir
