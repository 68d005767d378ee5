#!/usr/bin/env bash
# Starts the server; on an empty database, first creates a workspace and an admin and
# prints how to log in.
set -euo pipefail
BIN=$1 DB=$2 LISTEN=$3
if [[ $DB == sqlite:* ]]; then mkdir -p "$(dirname "${DB#sqlite:}")"; fi
if ! "$BIN" workspace list --db "$DB" 2>/dev/null | grep -q .; then
  PASS=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 16)
  "$BIN" workspace create "My workspace" --admin-email admin@dialbook.local \
    --admin-password "$PASS" --db "$DB" >/dev/null
  echo "Created workspace 'My workspace'."
  echo "Log in at http://$LISTEN with  admin@dialbook.local / $PASS"
  echo "(change it with: $BIN users set-password --email admin@dialbook.local --password NEW --db $DB)"
else
  echo "Dialbook at http://$LISTEN — sign in with your account"
  echo "(forgot it? $BIN users list --workspace NAME --db $DB; $BIN users set-password --email E --password NEW --db $DB)"
fi
exec "$BIN" serve --db "$DB" --listen "$LISTEN"
