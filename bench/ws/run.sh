#!/usr/bin/env bash
# WebSocket benchmark on loopback (see ws/main.go): kk against a hand-written
# fasthttp/websocket server and gorilla/websocket, each server in its own
# process. Raises the open-files limit for the 10,000 connections.
# Usage, from anywhere: bench/ws/run.sh [flags of ws/main.go]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" # as high as allowed
exec go run ./ws "$@"
