#!/usr/bin/env bash
# Fuzz every parser of untrusted bytes for a bounded time (default 60 s each). Not part of .ci/run.
# Findings land in tests/NfOta.Fuzz/findings/<target>/; move the ones worth keeping to
# tests/NfOta.Fuzz/regressions/<target>/ and tests/NfOta.Core.Tests replays them on every CI run.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
dotnet run -c Release --project . -- --seconds "$seconds" --out "$PWD/findings" "${@:2}"
