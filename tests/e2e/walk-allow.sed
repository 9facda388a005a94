# The allow-list of the differential walk (issue 23): what may differ between the kernel in the
# QEMU guest and mdev-sim --profile gvtg-6.1, each rewritten to one placeholder on both sides.
# Sizes, times, owners and link counts are not in the walk at all. Keep this list short.

# The harness's own PCI identity: the guest's parent is QEMU's edu device (1234:11e8, class
# 00ff00, subsystem 1af4:1100) driven by tests/e2e/module; the profile is an Intel GPU.
s/^  | PCI_CLASS=.*/  | PCI_CLASS=<harness>/
s/^  | PCI_ID=.*/  | PCI_ID=<harness>/
s/^  | PCI_SUBSYS_ID=.*/  | PCI_SUBSYS_ID=<harness>/
s/^  | MODALIAS=pci:.*/  | MODALIAS=<harness>/

# The module the drivers come from: gvt_sim.ko in the guest, i915.ko and kvmgt.ko on a host.
s|-> \.\./\.\./\.\./\.\./module/[^/]*$|-> ../../../../module/<harness>|
