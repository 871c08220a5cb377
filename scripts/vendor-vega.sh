#!/bin/sh
# Refresh the Vega assets that draw the timeline (the page works offline: no CDN).
#
#   scripts/vendor-vega.sh
#
# Fetches vega 6, vega-lite 6, vega-embed 7 and vega-interpreter 2 from the npm registry with
# `npm pack`, copies their browser builds into src/relgraph/server/static/vendor/vega/ with each
# package's LICENSE beside them (LICENSE.<name>), and writes VERSION. vega-interpreter (which lets
# Vega run under a CSP without 'unsafe-eval') ships only as an ES module importing vega-util: its
# import line is replaced by reading the same names from the global `vega` bundle, its export line
# by a global. Commit the result; nothing is downloaded at build, install or run time.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/relgraph/server/static/vendor/vega"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
mkdir -p "$DEST"
: > "$DEST/VERSION.new"
for spec in vega@6 vega-lite@6 vega-embed@7 vega-interpreter@2; do
  name="${spec%@*}"
  tgz="$(npm pack --silent "$spec")"
  mkdir "$name" && tar xzf "$tgz" -C "$name"
  cp "$name/package/LICENSE" "$DEST/LICENSE.$name"
  echo "$name $(node -p "require('./$name/package/package.json').version") sha256(tgz) $(sha256sum "$tgz" | cut -c1-64)" >> "$DEST/VERSION.new"
done
for name in vega vega-lite vega-embed; do
  sed -e 's|//# sourceMappingURL=.*$||' "$name/package/build/$name.min.js" > "$DEST/$name.min.js"
done
{
  echo "(function () {"
  sed -e "s|^import { ascending, isString, DisallowedObjectProperties } from 'vega-util';|const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;|" \
      -e "s|^export { expression as expressionInterpreter };|globalThis.vegaInterpreter = { expressionInterpreter: expression };|" \
      -e 's|//# sourceMappingURL=.*$||' vega-interpreter/package/build/vega-interpreter.js
  echo "})();"
} > "$DEST/vega-interpreter.js"
if grep -q "^import\|^export" "$DEST/vega-interpreter.js"; then echo "vega-interpreter: unexpected import/export" >&2; exit 1; fi
mv "$DEST/VERSION.new" "$DEST/VERSION"
echo "vendored into $DEST"
