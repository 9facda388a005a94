# The seed's host after "mdevctl define": running and defined, start manual.
. "$(dirname "$0")/lib.sh"
base_dirs
gvt_parent 1 2 4 5
mk_dev $GVT i915-GVTg_V5_4 7686131b-b229-4768-a02c-35d1dbed7c66
mk_cfg 0000:00:02.0 7686131b-b229-4768-a02c-35d1dbed7c66 \
	$'{\n  "mdev_type": "i915-GVTg_V5_4",\n  "start": "manual",\n  "attrs": []\n}'
