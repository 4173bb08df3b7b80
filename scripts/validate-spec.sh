#!/usr/bin/env bash
# Validate spec/managed_accounts.yaml against the OpenAPI 3.0 specification.
#
# Creates (if missing) a Python virtual environment at target/pytools, installs a
# pinned openapi-spec-validator into it, and runs the validator on the spec.
set -euo pipefail

OPENAPI_SPEC_VALIDATOR_VERSION="0.9.0"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/target/pytools"
spec="$repo_root/spec/managed_accounts.yaml"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi

if [ "$("$venv/bin/python" -c 'import importlib.metadata as m
try:
    print(m.version("openapi-spec-validator"))
except m.PackageNotFoundError:
    print("")')" != "$OPENAPI_SPEC_VALIDATOR_VERSION" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"
fi

"$venv/bin/openapi-spec-validator" "$spec"
