#!/usr/bin/env bash
# Every test Meshcraft has: typecheck, lint, unit and property tests (Vitest), a production build, and the
# end-to-end tests in a real Chromium (Playwright). Ends with one line `N passed, N failed` over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-chromium.sh
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  CHROMIUM_PATH="$(node -e "console.log(require('playwright-core').chromium.executablePath())" 2>/dev/null || true)"
  export CHROMIUM_PATH
fi
mkdir -p reports
rm -f reports/*.json reports/*.status
status=0
step() { echo; echo "── $1"; }

check() { # name, command…: runs a check and records pass/fail for the summary
  local name=$1; shift
  if "$@"; then echo pass > "reports/$name.status"; else echo fail > "reports/$name.status"; status=1; fi
}
step "typecheck"; check typecheck npx tsc --noEmit -p tsconfig.json
step "lint"; check lint npx eslint src bin
step "unit and property tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json || status=1
step "build"
if npm run build --silent; then
  step "end-to-end tests (playwright, chromium)"
  npx playwright test || status=1
else
  status=1
fi

node scripts/summarize-tests.mjs || status=1
exit $status
