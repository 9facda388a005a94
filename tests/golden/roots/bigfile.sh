# An otherwise empty host and a --jsonfile input of 1.6 MB.
. "$(dirname "$0")/lib.sh"
base_dirs
mkdir -p "$R/in"
{ printf '{"mdev_type":"t","start":"auto","attrs":[{"pad":"'; head -c 1600000 /dev/zero | tr '\0' 'x'; printf '"}]}'; } >"$R/in/huge.json"
