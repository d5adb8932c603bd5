# Trunk post_build hook: writes the build's file list and version into the service worker
# (public/sw.js, copied to the staging folder as sw.js), so the list is never kept by hand.
# The version is a hash of every file's content: a new build is a new cache.
set -eu
cd "$TRUNK_STAGING_DIR"
[ -f sw.js ] || { echo "precache: sw.js is missing from the build" >&2; exit 1; }
# The build's own files: not the service worker itself, not the precompressed copies, not the
# samples (large, fetched when asked for).
files="$(find . -type f ! -name sw.js ! -name '*.br' ! -name '*.gz' ! -path './samples/*' | sed 's|^\./||' | LC_ALL=C sort)"
version="$(printf '%s\n' $files | xargs sha256sum | sha256sum | cut -c1-16)"
# '/' is the app shell (index.html as the server answers every page of the app).
list="'/'"
for file in $files; do
  [ "$file" = index.html ] && continue
  list="$list, '/$file'"
done
sed -i "s|'__CHARTER_FILES__'|$list|; s|__CHARTER_VERSION__|$version|" sw.js
grep -q "__CHARTER_" sw.js && { echo "precache: sw.js still holds a placeholder" >&2; exit 1; }
exit 0
