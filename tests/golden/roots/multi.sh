# Three parents (GVT-g, an NVIDIA-like GPU with names, an s390 channel subsystem), running and
# defined devices in every combination: defined and running (U1), running only (U2), running
# under another type than defined (U3), defined under two parents (U4), defined only (U5).
. "$(dirname "$0")/lib.sh"
base_dirs
gvt_parent
NV=pci0000:00/0000:2b:00.0
CCW=css0/0.0.26ab
mk_parent $CCW 0.0.26ab
mk_type $CCW vfio_ccw-io 1 vfio-ccw "I/O subchannel (Non-QDIO)"
mk_parent $NV 0000:2b:00.0
mk_type $NV nvidia-35 16 vfio-pci "GRID M60-0B" $'num_heads=2\nframebuffer=512M'
mk_type $NV nvidia-36 0 vfio-pci "GRID M60-0Q"
U1=11111111-1111-4111-8111-111111111111
U2=22222222-2222-4222-8222-222222222222
U3=33333333-3333-4333-8333-333333333333
U4=44444444-4444-4444-8444-444444444444
U5=55555555-5555-4555-8555-555555555555
mk_dev $GVT i915-GVTg_V5_4 $U1
mk_dev $NV nvidia-35 $U2
mk_dev $GVT i915-GVTg_V5_8 $U3
echo 1 >"$R/sys/devices/$NV/$U2/frl"
: >"$R/sys/devices/$GVT/$U1/myattr"
mk_cfg 0000:00:02.0 $U1 $'{\n  "mdev_type": "i915-GVTg_V5_4",\n  "start": "auto",\n  "attrs": [\n    {\n      "myattr": "v1"\n    },\n    {\n      "b": "2"\n    }\n  ]\n}'
mk_cfg 0000:00:02.0 $U3 '{"mdev_type":"i915-GVTg_V5_4","start":"manual"}'
mk_cfg 0000:00:02.0 $U4 '{"mdev_type":"i915-GVTg_V5_2","start":"auto","attrs":[]}'
mk_cfg 0000:2b:00.0 $U4 '{"mdev_type":"nvidia-35","start":"manual","attrs":[{"frl":"0"}]}'
mk_cfg 0.0.26ab $U5 '{"mdev_type":"vfio_ccw-io","start":"manual"}'
# inputs for --jsonfile
mkdir -p "$R/in"
printf '%s' '{"mdev_type":"nvidia-36","start":"auto","attrs":[{"k":"v"}]}' >"$R/in/nv36.json"
printf '%s' '{"mdev_type":"nvidia-35","start":"auto","attrs":[{"frl":"1"}]}' >"$R/in/nv35.json"
printf '%s' '{"mdev_type":"i915-GVTg_V5_4","start":"manual","attrs":[{"myattr":"x"},{"nothere":"y"}]}' >"$R/in/badattr.json"
printf '%s' '{"mdev_type":5,"start":"auto"}' >"$R/in/typenum.json"
printf '%s' '{"mdev_type":"t","start":"auto","attrs":[{"a":1}]}' >"$R/in/attrnum.json"
printf '%s' '{"mdev_type":"t","start":"auto","attrs":[{"/etc/passwd":"x"}]}' >"$R/in/attrpath.json"
printf '%s' '{"mdev_type":"t"' >"$R/in/torn.json"
printf '%s' '' >"$R/in/empty.json"
printf '\xef\xbb\xbf{}' >"$R/in/bom.json"
printf '%s' '{"mdev_type":"t","start":"auto","attrs":{}}' >"$R/in/attrsobj.json"
printf '%s' '{"mdev_type":"t","start":"auto","attrs":[{"a":"1","b":"2"}]}' >"$R/in/attr2.json"
printf '%s' '{"mdev_type":"t","start":"auto","attrs":["x"]}' >"$R/in/attrstr.json"
printf '%s' '{"mdev_type":"t"}' >"$R/in/nostart.json"
printf '%s' '{"x":1,"start":"AUTO","mdev_type":"a","mdev_type":"b","attrs":null}' >"$R/in/quirks.json"
