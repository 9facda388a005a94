#!/usr/bin/env bash
# mdev-sim's create/remove rate: N devices created by writing their UUIDs to a type's create
# file and removed through their remove files, on a profile with room for all of them.
set -eu
build=${1:-build}
n=${2:-2000}
w=$(mktemp -d)
trap 'fusermount3 -u "$w/sys" 2>/dev/null; rm -rf "$w"' EXIT
printf '[parent 0000:2b:00.0]\npath = pci0000:00/0000:2b:00.0\nmodel = fixed\n\n[type bench-1]\ninstances = %d\n' "$n" >"$w/p.conf"
mkdir -p "$w/sys"
"$build/sim/mdev-sim" --profile "$w/p.conf" "$w/sys"
for _ in $(seq 50); do [ -d "$w/sys/class/mdev_bus" ] && break; sleep 0.1; done
python3 - "$w/sys" "$n" <<'PY'
import sys, time, uuid
root, n = sys.argv[1], int(sys.argv[2])
create = root + "/class/mdev_bus/0000:2b:00.0/mdev_supported_types/bench-1/create"
uuids = [str(uuid.UUID(int=i + 1, version=4)) for i in range(n)]
t = time.perf_counter()
for u in uuids:
    with open(create, "w") as f:
        f.write(u)
c = time.perf_counter() - t
t = time.perf_counter()
for u in uuids:
    with open(root + "/bus/mdev/devices/" + u + "/remove", "w") as f:
        f.write("1")
r = time.perf_counter() - t
print("mdev-sim: %d creates in %.2f s (%.0f/s), %d removes in %.2f s (%.0f/s)" % (n, c, n / c, n, r, n / r))
PY
