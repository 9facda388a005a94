#!/bin/sh
# Hangs in every event, with a child holding its output open.
case "$*" in *"-a capabilities"*) exit 2 ;; esac
sleep 60 &
sleep 60
