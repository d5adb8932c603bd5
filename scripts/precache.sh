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
# Release builds ship precompressed copies (brotli 11, gzip 9) beside each file; the relay
# serves them to browsers that accept them instead of compressing on every request. Done here,
# after sw.js is written: Trunk runs post_build hooks at the same time, so a hook of its own
# could compress the service worker before its list and version are in it.
if [ "${TRUNK_PROFILE:-}" = release ]; then
  for f in ./*.wasm ./*.js ./*.css; do
    [ -f "$f" ] || continue
    brotli -f -q 11 -k "$f" && gzip -f -9 -k "$f" || exit 1
  done
fi
exit 0
