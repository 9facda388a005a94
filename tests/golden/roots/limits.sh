# The multi host (three parents) with configs at the size limit (issue 17.4) and inputs holding
# "\u0000" (issue 17.8):
# U6 a config just over 1 MiB (written by hand or by an older version): unreadable, removable;
# U7 a config 28 bytes under the 1 MiB limit: one more attribute would pass it.
. "$(dirname "$0")/multi.sh"
U6=66666666-6666-4666-8666-666666666666
U7=77777777-7777-4777-8777-777777777777
pad() { head -c "$1" /dev/zero | tr '\0' 'x'; }
mk_cfg 0000:00:02.0 $U6 "{\"mdev_type\":\"i915-GVTg_V5_4\",\"start\":\"manual\",\"attrs\":[{\"pad\":\"$(pad $((1048576 + 1 - 63)))\"}]}"
mk_cfg 0000:00:02.0 $U7 "$(printf '{\n  "mdev_type": "i915-GVTg_V5_4",\n  "start": "manual",\n  "attrs": [\n    {\n      "pad": "%s"\n    }\n  ]\n}' "$(pad $((1048576 - 40 - 106 + 16)))")"
printf '%s' '{"mdev_type":"i915-GVTg_V5_4\u0000x","start":"auto"}' >"$R/in/nul-type.json"
printf '%s' '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[{"a\u0000b":"v"}]}' >"$R/in/nul-attr-name.json"
printf '%s' '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[{"a":"v\u0000w"}]}' >"$R/in/nul-attr-value.json"
printf '%s' '{"mdev_type":"i915-GVTg_V5_4","start":"auto\u0000"}' >"$R/in/nul-start.json"
