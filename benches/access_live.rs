//! `access --live` at scale (issue #15 point 14): a generated hierarchy of 2,000 accounts under
//! 120 managers, 5 levels deep, behind a fake Google Ads API that adds 50 ms to every request
//! (thread per connection, so concurrent requests overlap as on the real API). Walks it with
//! 1 request in flight (the old sequential walk) and with 8 (the default), and prints the
//! requests made and the wall time of each. Run: `cargo bench --bench access_live`.

#[path = "../tests/auth_fake/mod.rs"]
#[allow(unused_imports)]
mod auth_fake;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use auth_fake::{Resp, Server};
use serde_json::json;

const DELAY_MS: u64 = 50;

/// Managers per level (levels 0..=3) and clients at level 4: 1 + 5 + 24 + 90 = 120 managers,
/// 1,880 clients, 2,000 accounts.
fn hierarchy() -> (BTreeMap<String, Vec<(String, bool)>>, String) {
    let per_level = [1usize, 5, 24, 90];
    let mut levels: Vec<Vec<String>> = Vec::new();
    let mut n = 0u64;
    let mut id = || {
        n += 1;
        format!("{:010}", 1_000_000_000 + n)
    };
    for count in per_level {
        levels.push((0..count).map(|_| id()).collect());
    }
    let clients: Vec<String> = (0..1880).map(|_| id()).collect();
    let mut children: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    for l in 1..levels.len() {
        let parents = levels[l - 1].clone();
        for (i, m) in levels[l].iter().enumerate() {
            children
                .entry(parents[i % parents.len()].clone())
                .or_default()
                .push((m.clone(), true));
        }
    }
    let last = levels[3].clone();
    for (i, c) in clients.iter().enumerate() {
        children
            .entry(last[i % last.len()].clone())
            .or_default()
            .push((c.clone(), false));
    }
    for m in levels.iter().flatten() {
        children.entry(m.clone()).or_default();
    }
    (children, levels[0][0].clone())
}

fn main() {
    let (children, root) = hierarchy();
    let managers = children.len();
    let accounts = managers + children.values().flatten().filter(|(_, m)| !m).count();
    let root2 = root.clone();
    let (server, peak) = Server::start_threaded(Duration::from_millis(DELAY_MS), move |req| {
        if req.path.ends_with("customers:listAccessibleCustomers") {
            return Resp::json(
                200,
                json!({"resourceNames": [format!("customers/{root2}")]}),
            );
        }
        let body: serde_json::Value = serde_json::from_str(&req.body).unwrap_or_default();
        if body["query"]
            .as_str()
            .unwrap_or("")
            .contains("customer_user_access")
        {
            return Resp::json(
                403,
                json!({"error": {"code": 403, "status": "PERMISSION_DENIED"}}),
            );
        }
        let cust = req
            .path
            .split("customers/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or("");
        let mut rows = vec![json!({"customerClient": {"id": cust, "level": "0", "manager": true}})];
        for (c, m) in children.get(cust).into_iter().flatten() {
            rows.push(json!({"customerClient": {"id": c, "level": "1", "manager": m}}));
        }
        Resp::json(200, json!({ "results": rows }))
    });
    let ep = adsconf::api::Endpoints {
        token_uri: format!("{}/token", server.base),
        api_base: server.base.clone(),
        api_version: "v26".into(),
    };
    println!("hierarchy: {accounts} accounts, {managers} managers, 5 levels; {DELAY_MS} ms added per request");
    let depth = 5u128;
    for in_flight in [1usize, 8, 16] {
        let before = server.requests.lock().map(|r| r.len()).unwrap_or(0);
        peak.store(0, std::sync::atomic::Ordering::SeqCst);
        let t = Instant::now();
        let h = adsconf::access::live::fetch_with(&ep, "token".into(), None, in_flight)
            .expect("the walk");
        let wall = t.elapsed();
        let requests = server.requests.lock().map(|r| r.len()).unwrap_or(0) - before;
        assert_eq!(h.accounts.len(), accounts);
        println!(
            "in flight {in_flight:>2}: {requests} requests, {:.2} s wall, peak {} concurrent, {:.1}x depth x {DELAY_MS} ms",
            wall.as_secs_f64(),
            peak.load(std::sync::atomic::Ordering::SeqCst),
            wall.as_millis() as f64 / (depth * DELAY_MS as u128) as f64
        );
    }
}
