# The seed host after the walkthrough, plus a vGPU defined with start manual (U2) and one that
# runs without a definition (U3), and the domains of tests/libvirt in $R/domains. The GPU is
# bound to i915 and has its DRM nodes (card0, renderD128), as a real one does.
. "$(dirname "$0")/../../golden/roots/lib.sh"
base_dirs
gvt_parent 1 1 3 5
mkdir -p "$R/sys/devices/$GVT/drm/card0" "$R/sys/devices/$GVT/drm/renderD128" "$R/sys/bus/pci/drivers/i915"
ln -s ../../../bus/pci/drivers/i915 "$R/sys/devices/$GVT/driver"
U1=7686131b-b229-4768-a02c-35d1dbed7c66
U2=0c1d2e3f-0000-4000-8000-000000000002
U3=0c1d2e3f-0000-4000-8000-000000000003
mk_dev $GVT i915-GVTg_V5_4 $U1
mk_dev $GVT i915-GVTg_V5_4 $U3
mk_cfg 0000:00:02.0 $U1 '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
mk_cfg 0000:00:02.0 $U2 '{"mdev_type":"i915-GVTg_V5_2","start":"manual","attrs":[]}'
mkdir -p "$R/domains"
cp "$(dirname "$0")"/../../libvirt/*.xml "$R/domains/"
printf 'not <xml' >"$R/domains/broken.xml"
printf '<network><name>default</name></network>\n' >"$R/domains/network.xml"
