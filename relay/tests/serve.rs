//! Serving a Trunk-style dist folder: through the router in memory, then over a real socket.

use std::path::Path;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::response::Response;
use charter_relay::{Config, RelayError, router, run};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt as _;

const LOADER: &str = "\nimport init, * as bindings from '/charter-1a2b3c4d5e6f7a8b.js';\n\
    const wasm = await init({ module_or_path: '/charter-1a2b3c4d5e6f7a8b_bg.wasm' });\n\
    window.wasmBindings = bindings;\n";

/// Computed independently of the crate:
/// printf "$LOADER" | openssl dgst -sha256 -binary | base64
const LOADER_HASH: &str = "'sha256-PW12bZFu1RM3X77x/l2XuZGeWQHoKSGdZbSFhmL4+dw='";

const SECRET: &str = "secret outside dist";

/// A temporary folder holding `dist/` as Trunk builds it and, beside it, a file that must
/// never be served.
struct Site {
    root: TempDir,
}

impl Site {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let dist = root.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        let index = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
             <link rel=\"stylesheet\" href=\"/style-0123456789abcdef.css\">\
             <link rel=\"modulepreload\" href=\"/charter-1a2b3c4d5e6f7a8b.js\" crossorigin>\
             <script type=\"module\">{LOADER}</script></head><body></body></html>\n"
        );
        std::fs::write(dist.join("index.html"), index).unwrap();
        let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
            .iter()
            .copied()
            .cycle()
            .take(4096)
            .collect();
        std::fs::write(dist.join("charter-1a2b3c4d5e6f7a8b_bg.wasm"), wasm).unwrap();
        let js = "export default async function init() { return 'wasm'; }\n".repeat(20);
        std::fs::write(dist.join("charter-1a2b3c4d5e6f7a8b.js"), js).unwrap();
        std::fs::write(
            dist.join("style-0123456789abcdef.css"),
            "body { margin: 0; }\n",
        )
        .unwrap();
        std::fs::write(dist.join("manifest.json"), "{\"name\": \"Charter\"}\n").unwrap();
        std::fs::write(dist.join("sw.js"), "const VERSION = '1';\n").unwrap();
        std::fs::write(root.path().join("secret.txt"), SECRET).unwrap();
        Self { root }
    }

    fn dist(&self) -> std::path::PathBuf {
        self.root.path().join("dist")
    }

    fn config(&self) -> Config {
        // Keeps the sync database beside dist instead of in the working directory.
        Config {
            data_dir: self.root.path().join("data"),
            ..Config::new(self.dist())
        }
    }

    async fn get(&self, uri: &str) -> Response {
        self.request(Method::GET, uri, &[]).await
    }

    async fn request(&self, method: Method, uri: &str, headers: &[(&str, &str)]) -> Response {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        router(&self.config())
            .unwrap()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }
}

fn header(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(&name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap()
}

async fn body_text(response: Response) -> String {
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn index_is_html_revalidated_and_allows_exactly_its_inline_loader() {
    let site = Site::new();
    for path in ["/", "/index.html"] {
        let response = site.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert_eq!(
            header(&headers, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&headers, header::CACHE_CONTROL), "no-cache");
        assert_eq!(header(&headers, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header(&headers, header::REFERRER_POLICY), "no-referrer");
        assert_eq!(
            header(
                &headers,
                header::HeaderName::from_static("cross-origin-opener-policy")
            ),
            "same-origin"
        );
        assert_eq!(
            header(
                &headers,
                header::HeaderName::from_static("permissions-policy")
            ),
            charter_relay::PERMISSIONS_POLICY
        );
        let policy = header(&headers, header::CONTENT_SECURITY_POLICY);
        assert_eq!(
            policy,
            format!(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {LOADER_HASH}; \
                 style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; \
                 object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
            )
        );
        assert!(body_text(response).await.contains(LOADER));
    }
}

#[tokio::test]
async fn index_revalidation_answers_not_modified() {
    let site = Site::new();
    let etag = site.get("/").await.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let response = site
        .request(Method::GET, "/", &[("if-none-match", &etag)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(body_text(response).await.is_empty());
}

#[tokio::test]
async fn hashed_files_have_their_content_type_and_are_immutable() {
    let site = Site::new();
    for (path, content_type) in [
        ("/charter-1a2b3c4d5e6f7a8b_bg.wasm", "application/wasm"),
        ("/charter-1a2b3c4d5e6f7a8b.js", "text/javascript"),
        ("/style-0123456789abcdef.css", "text/css"),
    ] {
        let response = site.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers();
        assert_eq!(
            header(headers, header::CONTENT_TYPE),
            content_type,
            "{path}"
        );
        assert_eq!(
            header(headers, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert!(header(headers, header::CONTENT_SECURITY_POLICY).contains(LOADER_HASH));
    }
}

#[tokio::test]
async fn files_without_a_hash_are_revalidated() {
    let site = Site::new();
    let response = site.get("/manifest.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(response.headers(), header::CACHE_CONTROL),
        "no-cache"
    );
}

#[tokio::test]
async fn the_service_worker_is_never_kept_so_an_update_check_always_sees_the_new_one() {
    // Validating by a Last-Modified of whole seconds would answer 304 to a worker written
    // within the second of the one the browser has, and the browser would see no update.
    let site = Site::new();
    let response = site.get("/sw.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(response.headers(), header::CACHE_CONTROL),
        "no-store"
    );
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let site = Site::new();
    for encoding in ["br", "gzip"] {
        for path in [
            "/charter-1a2b3c4d5e6f7a8b_bg.wasm",
            "/charter-1a2b3c4d5e6f7a8b.js",
            "/",
        ] {
            let response = site
                .request(Method::GET, path, &[("accept-encoding", encoding)])
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            let headers = response.headers().clone();
            assert_eq!(
                header(&headers, header::CONTENT_ENCODING),
                encoding,
                "{path}"
            );
            assert!(header(&headers, header::VARY).contains("accept-encoding"));
            assert!(!body_text(response).await.is_empty());
        }
    }
    let plain = site.get("/charter-1a2b3c4d5e6f7a8b_bg.wasm").await;
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(
        to_bytes(plain.into_body(), usize::MAX).await.unwrap().len(),
        4096
    );
}

#[tokio::test]
async fn app_pages_without_a_file_answer_the_app() {
    let site = Site::new();
    for path in [
        "/w/01HXYZ",
        "/profile",
        "/w/01HXYZ/objectives/",
        "/profile?tab=keys",
    ] {
        let response = site.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert_eq!(
            header(&headers, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&headers, header::CACHE_CONTROL), "no-cache");
        assert!(header(&headers, header::CONTENT_SECURITY_POLICY).contains(LOADER_HASH));
        assert!(body_text(response).await.contains(LOADER), "{path}");
    }
}

#[tokio::test]
async fn missing_files_are_not_found_and_not_cached() {
    let site = Site::new();
    for path in [
        "/missing.js",
        "/charter-0000000000000000_bg.wasm",
        "/w/missing.css",
    ] {
        let response = site.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            header(response.headers(), header::CACHE_CONTROL),
            "no-cache",
            "{path}"
        );
    }
}

#[tokio::test]
async fn head_and_other_methods() {
    let site = Site::new();
    let head = site.request(Method::HEAD, "/w/01HXYZ", &[]).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert!(body_text(head).await.is_empty());
    let post = site
        .request(Method::POST, "/charter-1a2b3c4d5e6f7a8b.js", &[])
        .await;
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn traversal_never_leaves_dist() {
    let site = Site::new();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/w/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e",
        "/w/%2e%2e/%2e%2e/secret",
    ] {
        let response = site.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!body_text(response).await.contains(SECRET), "{path}");
    }
}

#[tokio::test]
async fn healthz_answers_ok() {
    let site = Site::new();
    let response = site.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(response.headers(), header::CACHE_CONTROL),
        "no-store"
    );
    assert_eq!(body_text(response).await, "ok");
}

#[tokio::test]
async fn refuses_to_start_without_a_built_app() {
    let empty = tempfile::tempdir().unwrap();
    let error = router(&Config::new(empty.path().join("dist"))).unwrap_err();
    assert!(matches!(error, RelayError::IndexMissing { .. }));
    let message = error.to_string();
    assert!(
        message.ends_with("index.html not found: build the app first with `trunk build --release`")
    );
    let relative = router(&Config::new("no-such-dist"))
        .unwrap_err()
        .to_string();
    assert!(relative.starts_with(&format!(
        "{} not found",
        Path::new("no-such-dist/index.html").display()
    )));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = Config::new(empty.path().join("dist"));
    let result = run(listener, config, std::future::pending()).await;
    assert!(matches!(result, Err(RelayError::IndexMissing { .. })));
}

#[tokio::test]
async fn serves_over_a_real_socket_and_shuts_down_gracefully() {
    let site = Site::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(run(listener, site.config(), async {
        let _ = stopped.await;
    }));

    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET /w/01HXYZ HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: identity\r\n\
         Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .unwrap()
        .unwrap();
    let response = String::from_utf8(raw).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("\r\ncontent-type: text/html; charset=utf-8\r\n"),
        "{head}"
    );
    assert!(head.contains("\r\ncache-control: no-cache\r\n"), "{head}");
    assert!(head.contains(&LOADER_HASH.to_ascii_lowercase()), "{head}");
    assert!(body.contains(LOADER));

    stop.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
}
