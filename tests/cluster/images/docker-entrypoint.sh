#!/usr/bin/env bash
# The entrypoint of the "bash" image, as the official bash image has it: with no
# arguments, or when the first one is an option (`-c 'echo hi'`), run bash with them;
# otherwise run the given command.
set -Eeuo pipefail

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	exec bash "$@"
fi

exec "$@"
