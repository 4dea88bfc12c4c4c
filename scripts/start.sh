#!/usr/bin/env bash
# `npm start`: the service on http://127.0.0.1:8787 under workerd (wrangler dev), with local D1
# migrated, the sandbox merchant seeded and TOKEN_SECRET / ENCRYPTION_KEY in .dev.vars.
# Non-interactive: safe in CI and without a TTY. Extra arguments go to `wrangler dev`.
#   PORT=8788 npm start                   another port
#   PERSIST_TO=/tmp/state npm start       another local persistence directory
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's wrangler, and the Node 22 of the `node` devDependency, even when run directly.
export PATH="$PWD/node_modules/.bin:$PATH"

PORT="${PORT:-8787}"
persist=()
if [[ -n "${PERSIST_TO:-}" ]]; then persist=(--persist-to "$PERSIST_TO"); fi

# Secrets live in .dev.vars locally (git-ignored), never in wrangler.toml.
for name in TOKEN_SECRET ENCRYPTION_KEY; do
  if ! grep -qs "^$name=" .dev.vars; then
    secret=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))')
    printf '%s=%s\n' "$name" "$secret" >>.dev.vars
    echo "Wrote a fresh $name to .dev.vars"
  fi
done

# `migrations apply` asks for confirmation when stdin and stdout are a TTY; with stdin from
# /dev/null wrangler takes its non-interactive default (yes), so this never hangs.
wrangler d1 migrations apply DB --local "${persist[@]}" </dev/null
# The sandbox merchant is a seed, not a migration: production D1 never gets it. INSERT OR IGNORE.
wrangler d1 execute DB --local "${persist[@]}" --file seeds/sandbox.sql </dev/null
# Its StableMint API secret, sealed under this install's ENCRYPTION_KEY (a seed cannot hold it).
seal_sql=$(node scripts/seal-sandbox-secret.ts) # its own line, so set -e stops on a failure
wrangler d1 execute DB --local "${persist[@]}" --command "$seal_sql" </dev/null

cat <<BANNER

  Sandbox merchant "Sandbox Store" (m_sandbox)
    secret key (Checkout API)   sk_test_sandbox    Authorization: Bearer sk_test_sandbox
    StableMint api_key          pk_test_sandbox    API secret: sk_test_sandbox

  Create a checkout session (HSRC's example body), then open \${url}?token=\${token}:
    curl -s http://127.0.0.1:$PORT/v1/checkout-sessions -H "Authorization: Bearer sk_test_sandbox" -H "content-type: application/json" -d '{"amount":12500,"currency":"TRY","return_url":"http://127.0.0.1:$PORT/demo/return","metadata":{"order_id":"ord_123"}}'

BANNER

# Two Workers in one workerd: the service, and the sandbox PSP it reaches over its SANDBOX_PSP
# service binding (the sandbox provider's upstream, with no address of its own).
exec wrangler dev -c wrangler.toml -c sandbox-psp/wrangler.toml --ip 127.0.0.1 --port "$PORT" "${persist[@]}" "$@"
