#!/usr/bin/env bash
# `npm start`: the service on http://127.0.0.1:8787 under workerd (wrangler dev), with local D1
# migrated, the sandbox merchant seeded and a TOKEN_SECRET in .dev.vars. Non-interactive: safe in
# CI and without a TTY. Extra arguments go to `wrangler dev`.
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's wrangler, and the Node 22 of the `node` devDependency, even when run directly.
export PATH="$PWD/node_modules/.bin:$PATH"

# Secrets live in .dev.vars locally (git-ignored), never in wrangler.toml.
if ! grep -qs '^TOKEN_SECRET=' .dev.vars; then
  secret=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))')
  printf 'TOKEN_SECRET=%s\n' "$secret" >>.dev.vars
  echo "Wrote a fresh TOKEN_SECRET to .dev.vars"
fi

# `migrations apply` asks for confirmation when stdin and stdout are a TTY; with stdin from
# /dev/null wrangler takes its non-interactive default (yes), so this never hangs.
wrangler d1 migrations apply DB --local </dev/null
# The sandbox merchant is a seed, not a migration: production D1 never gets it. INSERT OR IGNORE.
wrangler d1 execute DB --local --file seeds/sandbox.sql </dev/null

cat <<'BANNER'

  Sandbox merchant "Sandbox Store" (m_sandbox)
    secret key (Checkout API)   sk_test_sandbox    Authorization: Bearer sk_test_sandbox
    StableMint api_key          pk_test_sandbox    API secret: sk_test_sandbox

  Create a checkout session:
    curl -s http://127.0.0.1:8787/v1/checkout-sessions -H "Authorization: Bearer sk_test_sandbox" -H "content-type: application/json" -d '{"amount":1050,"currency":"EUR","return_url":"http://127.0.0.1:8787/demo/return"}'

BANNER

exec wrangler dev --ip 127.0.0.1 --port 8787 "$@"
