#!/bin/sh
# A versioned callout (handshake version 2): says what it supports, then shows each call.
case "$*" in
*"-e get -a capabilities"*)
	cat >/dev/null
	printf '{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","notify","get","live"]}}'
	exit 0 ;;
*"-e get -a attributes"*) printf '[{"frl":"0"}]'; exit 0 ;;
esac
input=$(cat)
echo "v2 $*: $input" >&2
exit 0
