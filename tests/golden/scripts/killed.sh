#!/bin/sh
# Dies of a signal in every event.
kill -9 $$
