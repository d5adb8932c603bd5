//! Cache-Control: Trunk's content-hashed files are immutable, everything else is revalidated.

use axum::extract::Request;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use percent_encoding::percent_decode_str;

/// For files whose name changes whenever their content does.
pub const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// For everything else, above all `index.html`: the browser may keep it but must revalidate.
pub const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");

/// For the service worker: never kept. `ServeDir` validates by a `Last-Modified` of whole
/// seconds, so a new `sw.js` written within the second of the old one (or an older build put
/// back) would be answered 304 to the browser's update check, which would then see no update.
pub const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// Whether a file name carries Trunk's content hash: `name-<hash>.ext` or `name-<hash>_bg.wasm`.
///
/// Trunk writes the 64-bit seahash as `{:x}`, without zero padding, so one build in sixteen has
/// a 15-digit hash. Shorter runs are not accepted: 14 digits is a `YYYYMMDDhhmmss` timestamp,
/// and a file wrongly marked immutable would be stale for a year, while a hashed file missed
/// here is merely revalidated.
pub fn is_hashed_file_name(name: &str) -> bool {
    let Some((stem, tagged)) = name.rsplit_once('-') else {
        return false;
    };
    let digits = tagged
        .bytes()
        .take_while(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
    let hash_len = digits.count();
    let after_hash = &tagged[hash_len..];
    let extension = after_hash
        .strip_prefix("_bg.")
        .or_else(|| after_hash.strip_prefix('.'));
    !stem.is_empty()
        && (15..=16).contains(&hash_len)
        && extension.is_some_and(|extension| !extension.is_empty())
}

/// Whether the last segment of a request path names a hashed file.
pub fn is_hashed_path(path: &str) -> bool {
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    percent_decode_str(last_segment)
        .decode_utf8()
        .is_ok_and(|name| is_hashed_file_name(&name))
}

/// Middleware that sets Cache-Control on every response that has none yet.
///
/// Only successful answers for hashed files are immutable: a 404 for a hashed name (say, during
/// a deploy) must not stick in the cache.
pub async fn set_cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed_path(request.uri().path());
    let service_worker = request.uri().path() == "/sw.js";
    let mut response = next.run(request).await;
    let fresh = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let policy = if service_worker {
        NO_STORE
    } else if hashed && fresh {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    response
        .headers_mut()
        .entry(CACHE_CONTROL)
        .or_insert(policy);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        for name in [
            "charter-1a2b3c4d5e6f7a8b.js",
            "charter-1a2b3c4d5e6f7a8b_bg.wasm",
            "style-0123456789abcdef.css",
            "charter-relay-0123456789abcdef.js",
            // Trunk does not pad: a hash below 2^60 has 15 digits.
            "charter-123456789abcdef.js",
            "charter-1a2b3c4d5e6f7a8b.d.ts",
        ] {
            assert!(is_hashed_file_name(name), "{name} should count as hashed");
        }
    }

    #[test]
    fn rejects_names_without_a_trunk_hash() {
        for name in [
            "index.html",
            "charter.js",
            "charter_bg.wasm",
            "manifest.json",
            "-0123456789abcdef.js",
            "charter-0123456789abcdef",
            "charter-0123456789abcdef.",
            "charter-0123456789ABCDEF.js",
            "charter-0123456789abcdeg.js",
            "charter-0123456789abcdef0.js",
            "backup-20240101123456.js",
            "charter-0123456789abcdef_bg",
            "charter-0123456789abcdef_x.js",
            "charter-0123456789abcdef/x",
        ] {
            assert!(
                !is_hashed_file_name(name),
                "{name} should not count as hashed"
            );
        }
    }

    #[test]
    fn looks_at_the_last_path_segment_only() {
        assert!(is_hashed_path("/charter-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_path("/assets/style-0123456789abcdef.css"));
        assert!(is_hashed_path("/style-0123456789abcdef%2Ecss"));
        assert!(!is_hashed_path("/style-0123456789abcdef.css/"));
        assert!(!is_hashed_path("/style-0123456789abcdef.css/profile"));
        assert!(!is_hashed_path("/"));
    }
}
