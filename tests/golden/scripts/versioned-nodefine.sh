#!/bin/sh
# A versioned callout that supports neither "define" nor "live".
case "$*" in
*"-e get -a capabilities"*)
	printf '{"supports":{"version":1,"actions":["start","stop","undefine","modify","attributes"],"events":["pre","post","notify","get"]}}'
	exit 0 ;;
esac
exit 0
