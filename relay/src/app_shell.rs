//! The built app: `index.html` (kept in memory), the other files of `dist/`, and the SPA
//! fallback that answers the app's own page paths with `index.html`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::handler::Handler as _;
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;
use sha2::{Digest as _, Sha256};
use tower_http::services::ServeDir;

use crate::RelayError;
use crate::csp::content_security_policy;

/// `dist/index.html` as read at startup, with the policy that allows its inline scripts.
///
/// Serving these very bytes, rather than re-reading the file, guarantees that the hashes in
/// the policy match the scripts the browser receives.
#[derive(Debug)]
pub struct AppShell {
    dist_dir: PathBuf,
    index_html: Bytes,
    etag: HeaderValue,
    content_security_policy: HeaderValue,
}

impl AppShell {
    /// Reads `index.html` from `dist_dir`.
    pub fn load(dist_dir: &Path) -> Result<Self, RelayError> {
        let index_path = dist_dir.join("index.html");
        let index_html = match std::fs::read(&index_path) {
            Ok(bytes) => Bytes::from(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(RelayError::IndexMissing { path: index_path });
            }
            Err(source) => {
                return Err(RelayError::ReadIndex {
                    path: index_path,
                    source,
                });
            }
        };
        let policy = content_security_policy(&index_html);
        let content_security_policy =
            HeaderValue::try_from(policy).map_err(|_| RelayError::IndexHeader {
                path: index_path.clone(),
            })?;
        // Weak, because the compression layer may send the same page in several encodings.
        let digest = Sha256::digest(&index_html);
        let etag = HeaderValue::try_from(format!("W/\"{}\"", URL_SAFE_NO_PAD.encode(digest)))
            .map_err(|_| RelayError::IndexHeader { path: index_path })?;
        Ok(Self {
            dist_dir: dist_dir.to_path_buf(),
            index_html,
            etag,
            content_security_policy,
        })
    }

    /// The Content-Security-Policy header value for every response.
    pub fn content_security_policy(&self) -> HeaderValue {
        self.content_security_policy.clone()
    }

    /// `/` and `/index.html` from memory, every other path from `dist/`, then the SPA fallback.
    pub fn routes(self) -> Router {
        let shell = Arc::new(self);
        let files = ServeDir::new(&shell.dist_dir)
            .append_index_html_on_directories(false)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(spa_fallback.with_state(Arc::clone(&shell)));
        Router::new()
            .route("/", get(index))
            .route("/index.html", get(index))
            .fallback_service(files)
            .with_state(shell)
    }

    fn index_response(&self, request_headers: &HeaderMap) -> Response {
        if etag_matches(request_headers, &self.etag) {
            return (StatusCode::NOT_MODIFIED, [(ETAG, self.etag.clone())]).into_response();
        }
        let headers = [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (ETAG, self.etag.clone()),
        ];
        (headers, self.index_html.clone()).into_response()
    }
}

async fn index(State(shell): State<Arc<AppShell>>, headers: HeaderMap) -> Response {
    shell.index_response(&headers)
}

/// Called by `ServeDir` for a GET or HEAD with no file behind it.
async fn spa_fallback(
    State(shell): State<Arc<AppShell>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let mut response = if is_app_page(uri.path()) {
        shell.index_response(&headers)
    } else {
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    };
    // axum strips HEAD bodies for routes, not for a service's fallback.
    if method == Method::HEAD {
        *response.body_mut() = Body::empty();
    }
    response
}

/// Whether a path is one of the app's pages (`/w/01HXYZ`, `/profile`) rather than a file:
/// no extension in its last segment, and no `..` anywhere (such requests are refused, not
/// answered with the app).
pub fn is_app_page(path: &str) -> bool {
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return false;
    };
    let mut segments = decoded.split(['/', '\\']);
    if segments.clone().any(|segment| segment == "..") {
        return false;
    }
    let last_segment = segments.next_back().unwrap_or_default();
    Path::new(last_segment).extension().is_none()
}

fn etag_matches(request_headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(Ok(candidates)) = request_headers
        .get(IF_NONE_MATCH)
        .map(|value| value.to_str())
    else {
        return false;
    };
    let Ok(ours) = etag.to_str() else {
        return false;
    };
    let opaque = |tag: &str| tag.strip_prefix("W/").unwrap_or(tag).to_owned();
    let ours = opaque(ours);
    candidates
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || opaque(candidate) == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_have_no_extension_in_their_last_segment() {
        assert!(is_app_page("/"));
        assert!(is_app_page("/profile"));
        assert!(is_app_page("/w/01HXYZ"));
        assert!(is_app_page("/w/01HXYZ/"));
        assert!(is_app_page("/w.v2/01HXYZ"));
        assert!(!is_app_page("/missing.js"));
        assert!(!is_app_page("/w/missing.wasm"));
        assert!(!is_app_page("/w/report%2Epdf"));
    }

    #[test]
    fn traversal_is_never_a_page() {
        assert!(!is_app_page("/../etc/passwd"));
        assert!(!is_app_page("/%2e%2e/etc/passwd"));
        assert!(!is_app_page("/w/..%2f..%2fetc%2fpasswd"));
        assert!(!is_app_page("/w/..%5c..%5cwindows"));
        assert!(!is_app_page("/w/%ff"));
    }

    #[test]
    fn if_none_match_accepts_lists_and_weak_tags() {
        let etag = HeaderValue::from_static("W/\"abc\"");
        let mut headers = HeaderMap::new();
        assert!(!etag_matches(&headers, &etag));
        headers.insert(IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"abc\""));
        assert!(etag_matches(&headers, &etag));
        headers.insert(IF_NONE_MATCH, HeaderValue::from_static("\"abc\""));
        assert!(etag_matches(&headers, &etag));
        headers.insert(IF_NONE_MATCH, HeaderValue::from_static("\"abcd\""));
        assert!(!etag_matches(&headers, &etag));
    }
}
