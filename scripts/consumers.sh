#!/usr/bin/env bash
# Packs the library as npm would publish it, then runs each consumer app of test/consumers/ on that
# tarball: in a copy outside the repository (so nothing resolves from the repository's own
# node_modules), `npm ci --prefer-offline` from the app's committed lockfile, a plain
# `npm install <tarball>` (default peer checks: no --legacy-peer-deps), the app's type-check
# (skipLibCheck false) and its own test runner.
#
#   scripts/consumers.sh [app ...]          every app when none is named
#   FORGE_CONSUMER_RESULTS=DIR              also writes each runner's JSON report into DIR
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm_flags=(--prefer-offline --no-audit --no-fund --loglevel=error)

npm run build --silent
tarball="$work/$(npm pack --pack-destination "$work" --silent | tail -n 1)"
echo "consumers: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) kB)"

apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(plain-node nest11-cjs nest12-esm)
results="${FORGE_CONSUMER_RESULTS:-}"

for app in "${apps[@]}"; do
  start=$SECONDS
  dir="$work/$app"
  mkdir -p "$dir"
  tar -C "test/consumers/$app" --exclude=node_modules --exclude=dist --exclude='*.tsbuildinfo' \
    -cf - . | tar -C "$dir" -xf -
  report=()
  if [ -n "$results" ]; then
    case "$app" in
      nest11-cjs) report=(-- --json --outputFile="$results/consumer-$app.json") ;;
      nest12-esm) report=(-- --reporter=default --reporter=json --outputFile.json="$results/consumer-$app.json") ;;
    esac
  fi
  (
    cd "$dir"
    npm ci "${npm_flags[@]}"
    npm install "${npm_flags[@]}" --no-save "$tarball"
    npm run typecheck --silent
    case "$app" in
      plain-node) npm test --silent ;;
      *) npm run test:e2e --silent "${report[@]}" ;;
    esac
  ) || { echo "consumers: $app FAILED after $((SECONDS - start)) s" >&2; exit 1; }
  echo "consumers: $app passed in $((SECONDS - start)) s"
done
