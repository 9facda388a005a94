#!/bin/sh
# A versioned callout whose pre event fails, and exit 2 (which a versioned script may not use).
case "$*" in
*"-e get -a capabilities"*)
	printf '{"supports":{"version":2,"actions":["start","stop","define","undefine","modify","attributes","capabilities"],"events":["pre","post","notify","get","live"]}}'
	exit 0 ;;
*"-e pre"*) echo "refused" >&2; exit 2 ;;
*"-e live"*) echo "live refused" >&2; exit 1 ;;
esac
exit 0
