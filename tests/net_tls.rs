//! `verify`'s network steps (DNS, TCP, proxy CONNECT, TLS) end to end against a local TLS
//! server with a certificate made for the test, directly and through a proxy that checks a
//! password and opens a real tunnel.
//!
//! The certificate is trusted through the library's `net::Trust::Roots` (the test's own
//! roots), which the command line cannot choose: a setting or variable that changes what the
//! binary trusts would let a man in the middle pass `verify`. The binary's TLS failure with
//! its public roots is tested in `tests/verify.rs` and here.

mod auth_fake;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use adsconf::net::{check_via, ProxyChoice, Trust};
use auth_fake::TunnelProxy;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A TLS server on 127.0.0.1 for `localhost` with a fresh self-signed certificate: completes
/// handshakes (counted) and answers one line. Returns its port, the certificate and the count.
fn tls_server() -> (u16, CertificateDer<'static>, Arc<AtomicUsize>) {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert = ck.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let done = Arc::new(AtomicUsize::new(0));
    let done2 = done.clone();
    std::thread::spawn(move || {
        // A bounded number of connections: the test makes a handful.
        for stream in listener.incoming().take(16) {
            let Ok(mut tcp) = stream else { continue };
            let (config, done) = (config.clone(), done2.clone());
            std::thread::spawn(move || {
                tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut conn = rustls::ServerConnection::new(config).unwrap();
                while conn.is_handshaking() {
                    match conn.complete_io(&mut tcp) {
                        Ok((0, 0)) if conn.is_handshaking() => return,
                        Ok(_) => {}
                        Err(_) => return,
                    }
                }
                done.fetch_add(1, Ordering::SeqCst);
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let _ = tls.write_all(b"hello\n");
                let _ = tls.flush();
                let mut sink = [0u8; 64];
                let _ = tls.read(&mut sink);
            });
        }
    });
    (port, cert, done)
}

fn roots(cert: &CertificateDer<'static>) -> Trust {
    let mut store = rustls::RootCertStore::empty();
    store.add(cert.clone()).unwrap();
    Trust::Roots(Arc::new(store))
}

const T: Duration = Duration::from_secs(10);

/// The server's count of completed handshakes once it settles (the client may finish its
/// side of a TLS 1.3 handshake before the server has read the client's Finished).
fn settled(count: &AtomicUsize, want: usize) -> usize {
    let end = std::time::Instant::now() + Duration::from_secs(5);
    while count.load(Ordering::SeqCst) < want && std::time::Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    count.load(Ordering::SeqCst)
}

#[test]
fn a_tls_server_the_test_trusts_passes_every_step() {
    let (port, cert, handshakes) = tls_server();
    let url = format!("https://localhost:{port}/token");
    let hc = check_via(&url, T, None, &roots(&cert)).unwrap();
    let names: Vec<&str> = hc.steps.iter().map(|s| s.name).collect();
    assert_eq!(names, ["DNS", "TCP", "TLS"], "{}", hc.line());
    assert!(hc.first_failure().is_none(), "{}", hc.line());
    let tls = hc.steps[2].outcome.as_ref().unwrap();
    assert!(tls.contains("certificate verified"), "{tls}");
    assert!(tls.contains("TLS 1."), "the version is named: {tls}");
    assert!(hc.line().contains("TLS ok"), "{}", hc.line());
    assert!(hc.advice().is_none());
    assert_eq!(settled(&handshakes, 1), 1, "the server completed it");

    // The same server with the public roots (what the binary trusts): the certificate is
    // refused at the TLS step, with the advice about TLS-inspecting proxies.
    let hc = check_via(&url, T, None, &Trust::Public).unwrap();
    let f = hc.first_failure().expect("TLS fails");
    assert_eq!(f.name, "TLS", "{}", hc.line());
    let why = f.outcome.as_ref().unwrap_err();
    assert!(
        why.to_ascii_lowercase().contains("certificate"),
        "the reason names the certificate: {why}"
    );
    assert!(hc.advice().unwrap().contains("inspects TLS"));

    // A name the certificate does not cover: refused too (the name is checked, not only the
    // chain).
    let hc = check_via(
        &format!("https://127.0.0.1:{port}/"),
        T,
        None,
        &roots(&cert),
    )
    .unwrap();
    assert_eq!(
        hc.first_failure().map(|s| s.name),
        Some("TLS"),
        "{}",
        hc.line()
    );
}

#[test]
fn through_a_proxy_with_a_password_the_tunnel_carries_the_tls_handshake() {
    let (port, cert, handshakes) = tls_server();
    let proxy = TunnelProxy::start("ops", "s3cr3t-proxy-pw");
    let url = format!("https://localhost:{port}/token");
    let choice = |pw: &str| ProxyChoice {
        url: proxy.url_with("ops", pw),
        source: "the config's http_proxy".into(),
        no_proxy: None,
    };
    let hc = check_via(&url, T, Some(choice("s3cr3t-proxy-pw")), &roots(&cert)).unwrap();
    let names: Vec<&str> = hc.steps.iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        ["DNS", "TCP", "proxy CONNECT", "TLS"],
        "{}",
        hc.line()
    );
    assert!(hc.first_failure().is_none(), "{}", hc.line());
    assert_eq!(hc.steps[0].target, "127.0.0.1", "DNS resolves the proxy");
    assert!(hc.steps[2].outcome.as_ref().unwrap().contains("200"));
    let c = proxy.connects();
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].target, format!("localhost:{port}"));
    assert!(c[0].authorized && c[0].opened, "{c:?}");
    assert_eq!(
        settled(&handshakes, 1),
        1,
        "the handshake went through the tunnel to the server"
    );
    let line = hc.line();
    assert!(line.contains("through the proxy http://ops:"), "{line}");
    assert!(!line.contains("s3cr3t-proxy-pw"), "{line}");

    // A wrong password: the proxy answers 407, the CONNECT step fails and says so; neither
    // password is shown.
    let hc = check_via(&url, T, Some(choice("wrong-pw-123")), &roots(&cert)).unwrap();
    let f = hc.first_failure().expect("CONNECT fails");
    assert_eq!(f.name, "proxy CONNECT", "{}", hc.line());
    assert!(f.outcome.as_ref().unwrap_err().contains("407"), "{f:?}");
    let advice = hc.advice().unwrap();
    assert!(advice.contains("credentials"), "{advice}");
    for text in [hc.line(), advice] {
        assert!(
            !text.contains("wrong-pw-123") && !text.contains("s3cr3t-proxy-pw"),
            "{text}"
        );
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        handshakes.load(Ordering::SeqCst),
        1,
        "no tunnel, no handshake"
    );
    assert!(!proxy.connects()[1].authorized);
}
