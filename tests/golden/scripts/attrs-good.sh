#!/bin/sh
# Reports two attributes for "get attributes".
case "$*" in *"-a capabilities"*) exit 2 ;; esac
case "$*" in *"-e get -a attributes"*) printf '[{"frl":"1"},{"mode":"x y"}]' ;; esac
exit 0
