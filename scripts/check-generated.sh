#!/usr/bin/env bash
# Fails when generated code is stale: regenerates, then asks git whether anything changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/generate.sh >/dev/null
if ! git diff --quiet --exit-code -- services/protocol/gen services/api/gen services/console/gen 2>/dev/null ||
  [[ -n "$(git ls-files --others --exclude-standard -- services/protocol/gen services/api/gen services/console/gen)" ]]; then
  echo "Generated code is out of date: run 'npm run generate' and commit the result." >&2
  git status --short -- services/protocol/gen services/api/gen services/console/gen >&2
  exit 1
fi
echo "generated code is fresh"
