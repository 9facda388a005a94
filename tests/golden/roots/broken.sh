# Sharp edges of upstream (C-70, C-72, C-75, C-78): a torn config beside good ones, a config with
# a numeric type, one named with an uppercase UUID, a dangling device link, a device without a
# mdev_type link, non-UUID names in both directories, a symlinked parent directory of configs.
. "$(dirname "$0")/lib.sh"
base_dirs
gvt_parent
mk_dev $GVT i915-GVTg_V5_4 aaaaaaaa-0000-4000-8000-000000000001
mk_cfg 0000:00:02.0 aaaaaaaa-0000-4000-8000-000000000001 '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 aaaaaaaa-0000-4000-8000-000000000002 '{"mdev_type":"i915-GVTg_V5_8","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 aaaaaaaa-0000-4000-8000-000000000003 '{"mdev_type":"i915-GVTg_V5_4","st'
mk_cfg 0000:00:02.0 aaaaaaaa-0000-4000-8000-000000000004 '{"mdev_type":5,"start":"auto"}'
mk_cfg 0000:00:02.0 AAAAAAAA-0000-4000-8000-000000000005 '{"mdev_type":"i915-GVTg_V5_2","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 README 'not a device'
ln -s ../../../devices/$GVT/bbbbbbbb-0000-4000-8000-000000000009 "$R/sys/bus/mdev/devices/bbbbbbbb-0000-4000-8000-000000000009"
mkdir -p "$R/sys/devices/$GVT/cccccccc-0000-4000-8000-000000000007"
ln -s ../../../devices/$GVT/cccccccc-0000-4000-8000-000000000007 "$R/sys/bus/mdev/devices/cccccccc-0000-4000-8000-000000000007"
: >"$R/sys/bus/mdev/devices/not-a-uuid"
mkdir -p "$R/elsewhere"
ln -s ../../elsewhere "$R/etc/mdevctl.d/linked-parent"
