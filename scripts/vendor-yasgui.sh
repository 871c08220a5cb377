#!/bin/sh
# Refresh the YASGUI assets served by `relgraph serve` (the page works offline: no CDN).
#
#   scripts/vendor-yasgui.sh [VERSION]      # default: the version pinned below
#
# Fetches @zazuko/yasgui from the npm registry with `npm pack`, copies the browser build
# (yasgui.min.js, yasgui.min.css) into src/relgraph/server/static/vendor/yasgui/, and writes
# VERSION (name, version, sha512 integrity of the tarball) and LICENSE next to them.
# Commit the result; nothing is downloaded at build, install or run time.
set -eu

VERSION="${1:-4.6.2}"
PACKAGE="@zazuko/yasgui"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/relgraph/server/static/vendor/yasgui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "$PACKAGE@$VERSION" >/dev/null
tar xzf ./*.tgz
INTEGRITY="$(npm view "$PACKAGE@$VERSION" dist.integrity)"
LICENSE_ID="$(node -p "require('./package/package.json').license")"
AUTHOR="$(node -p "const p=require('./package/package.json'); [p.author, ...(p.contributors||[]).map(c=>c.name||c)].join(', ')")"

mkdir -p "$DEST"
cp package/build/yasgui.min.js package/build/yasgui.min.css "$DEST/"
# The build ends with a source-map comment; the map is not vendored, so drop the comment.
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/yasgui.min.js"
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' "$DEST/yasgui.min.css"

cat > "$DEST/VERSION" <<END
$PACKAGE $VERSION
integrity $INTEGRITY
files build/yasgui.min.js build/yasgui.min.css (source-map comments removed)
END

cat > "$DEST/LICENSE" <<END
$PACKAGE $VERSION — declared license: $LICENSE_ID (package.json; the npm package ships no license file)
Authors: $AUTHOR
Source: https://github.com/rdfjs/Yasgui (packages/yasgui)

The bundle also contains the packages it depends on (CodeMirror, lodash, DOMPurify, Choices.js,
SortableJS, and others listed in its package.json), each under its own license.

MIT License

Copyright (c) $AUTHOR

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
END
echo "vendored $PACKAGE $VERSION into $DEST"
