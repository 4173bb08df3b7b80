#!/usr/bin/env bash
# Runs schemathesis (PyPI, pinned, in target/pytools) with every check
# against a server serving spec/managed_accounts.yaml.
#
#   bash scripts/schemathesis.sh BASE_URL TOKEN [MAX_EXAMPLES]
#
# The server must accept TOKEN and refuse every other token (the mock does
# with `--token TOKEN`), so that the authentication checks mean something.
set -euo pipefail

SCHEMATHESIS_VERSION="4.32.5"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/target/pytools"
base_url="$1"
token="$2"
max_examples="${3:-25}"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
installed="$("$venv/bin/python" -c 'import importlib.metadata as m
try:
    print(m.version("schemathesis"))
except m.PackageNotFoundError:
    print("")')"
if [ "$installed" != "$SCHEMATHESIS_VERSION" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION"
fi

cd "$repo_root"
exec "$venv/bin/st" run spec/managed_accounts.yaml \
    --url "$base_url" \
    --checks all \
    --max-examples "$max_examples" \
    --seed 20261122 \
    --header "Authorization: Bearer $token" \
    --no-color
