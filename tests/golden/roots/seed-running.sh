# The seed's host after "mdevctl start": the _4 vGPU runs (counts as the kernel then shows them).
. "$(dirname "$0")/lib.sh"
base_dirs
gvt_parent 1 2 4 5
mk_dev $GVT i915-GVTg_V5_4 7686131b-b229-4768-a02c-35d1dbed7c66
