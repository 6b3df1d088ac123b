#!/usr/bin/env bash
# Regenerates ALL generated code. Generated files are never edited by hand; run
# this after changing anything under proto/ or schema/, or a GraphQL document of the
# console (services/console), and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- gRPC resolver: proto/ -> services/protocol/gen (buf.gen.yaml, clean: true) ---
npx --no-install buf lint
npx --no-install buf generate

# --- GraphQL: schema/ -> API resolver types and the console's typed documents (codegen.ts) ---
# GraphQL codegen runs here.
if [ -f codegen.ts ]; then
  npx --no-install graphql-codegen --config codegen.ts
fi
