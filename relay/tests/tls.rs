//! The relay over TLS, with a certificate generated for the test; and its refusal to serve a
//! network without TLS unless told to.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use charter_relay::{Config, RelayError, TlsFiles, run};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

const PATIENCE: Duration = Duration::from_secs(10);

/// A folder with a built app's `dist/index.html`.
fn app_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><html><head></head><body></body></html>\n",
    )
    .unwrap();
    dir
}

/// A folder with `dist/index.html` and a certificate and key for localhost.
fn site() -> (TempDir, TlsFiles, CertificateDer<'static>) {
    let dir = app_dir();
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let files = TlsFiles {
        certificate: dir.path().join("cert.pem"),
        key: dir.path().join("key.pem"),
    };
    std::fs::write(&files.certificate, generated.cert.pem()).unwrap();
    std::fs::write(&files.key, generated.signing_key.serialize_pem()).unwrap();
    let der = generated.cert.der().clone();
    (dir, files, der)
}

fn config(dir: &TempDir) -> Config {
    Config {
        data_dir: dir.path().join("data"),
        ..Config::new(dir.path().join("dist"))
    }
}

async fn tls_connect(
    address: SocketAddr,
    trusted: CertificateDer<'static>,
) -> tokio_rustls::client::TlsStream<TcpStream> {
    let mut roots = RootCertStore::empty();
    roots.add(trusted).unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let client = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(address).await.unwrap();
    TlsConnector::from(Arc::new(client))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_relay_serves_https_and_wss_with_its_certificate() {
    let (dir, files, trusted) = site();
    let config = Config {
        tls: Some(files),
        ..config(&dir)
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(run(listener, config, async {
        let _ = stopped.await;
    }));

    // HTTPS.
    let mut tls = tls_connect(address, trusted.clone()).await;
    tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    tokio::time::timeout(PATIENCE, tls.read_to_string(&mut response))
        .await
        .unwrap()
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");

    // WSS: the sync endpoint upgrades over the same TLS.
    let tls = tls_connect(address, trusted).await;
    let (_ws, upgraded) =
        tokio_tungstenite::client_async(format!("wss://localhost:{}/sync", address.port()), tls)
            .await
            .unwrap();
    assert_eq!(upgraded.status().as_u16(), 101);

    // Plain HTTP on the TLS port gets no page.
    let mut plain = TcpStream::connect(address).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, plain.read_to_end(&mut answer)).await;
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));

    stop.send(()).unwrap();
    tokio::time::timeout(PATIENCE, task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_network_address_without_tls_is_refused_unless_insecure_lan() {
    let dir = app_dir();
    let listener = TcpListener::bind("0.0.0.0:0").await.unwrap();
    let refused = run(listener, config(&dir), std::future::ready(())).await;
    assert!(
        matches!(refused, Err(RelayError::InsecureBind { .. })),
        "{refused:?}"
    );
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("--tls-cert") && message.contains("--insecure-lan"),
        "{message}"
    );

    // Told to, it serves (and stops at once here).
    let listener = TcpListener::bind("0.0.0.0:0").await.unwrap();
    let config = Config {
        insecure_lan: true,
        ..config(&dir)
    };
    run(listener, config, std::future::ready(())).await.unwrap();
}
