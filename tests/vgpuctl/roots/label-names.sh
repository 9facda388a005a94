# An mdev parent (a vendor we do not know, 1af4) whose type names need the label mapping: two
# that map to the same label ("acme t1" and "acme_t1"), one too long for a label, one of only
# characters a label cannot take, and one with a name file KubeVirt matches ("Acme Tiny 1").
. "$(dirname "$0")/host.sh"
d=pci0000:00/0000:00:05.0
mkdir -p "$R/sys/devices/$d"
echo 0x1af4 >"$R/sys/devices/$d/vendor"
mk_parent $d 0000:00:05.0
mk_type $d "acme t1" 2 vfio-pci "Acme Tiny 1"
mk_type $d acme_t1 3 vfio-pci
mk_type $d acme-a-type-name-that-is-much-too-long-for-a-kubernetes-label-1 1 vfio-pci
mk_type $d '+++' 4 vfio-pci
mk_dev $d "acme t1" 0c1d2e3f-0000-4000-8000-000000000002
