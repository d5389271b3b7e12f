//! `devnet [--port 9053] [--host 127.0.0.1] [--seed 2239] [--static <dir>] [--epochs <n>]`: generates the demo
//! chain and serves it until Ctrl-C or SIGTERM.

use std::time::Instant;

fn usage() -> ! {
    eprintln!("usage: devnet [--port <port, default 9053; 0 picks a free one>] [--host <ip, default 127.0.0.1>] [--seed <n, default 2239>] [--epochs <n, default 4: more adds small honest epochs, a long history>] [--static <dir served at />] [--www <dir served at /www/>] [--proof-files <dir of `sharestate publish`, served at /files/ as the pool's proof service>] [--tamper proofs|payouts|slow-proofs|huge|inclusion|pow|fabricated|made-up-box|hidden-spend (a test mode in which the devnet lies or stalls)] [--scenario early-close|half-max-score|empty-payouts|forged-box (repeatable: an epoch each in which the operator cheats, or a forged box at the pool's address)] | --keys <n> [--seed <n>] (print the devnet's test keys)");
    std::process::exit(2)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    eprintln!("devnet: shutting down");
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut port, mut host, mut seed, mut static_dir) = (9053u16, "127.0.0.1".to_string(), 2239u64, None);
    let mut tamper = None;
    let mut scenarios = Vec::new();
    let mut package_dir = None;
    let mut proof_files = None;
    let mut epochs = devnet::pool::REWARDS.len();
    // `--keys <n>`: print the devnet's deterministic secret keys (the operator's and the first n
    // miners') as JSON and exit — for tests that sign as them; worthless anywhere else
    if let Some(i) = args.iter().position(|a| a == "--keys") {
        let n: u64 = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or_else(|| usage());
        let seed: u64 = args
            .iter()
            .position(|a| a == "--seed")
            .and_then(|j| args.get(j + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(2239);
        let hexs = |k: ergo_lib::wallet::secret_key::SecretKey| sharestate::hex::encode(&k.to_bytes());
        let miners: Vec<String> = (0..n).map(|m| hexs(devnet::pool::secret(seed, "miner", m))).collect();
        println!(
            "{}",
            serde_json::json!({
                "seed": seed,
                "operator": hexs(devnet::pool::secret(seed, "operator", 0)),
                "balanceOperator": hexs(devnet::balance_pool::operator(seed)),
                "miners": miners,
            })
        );
        return;
    }
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--port" => port = v.parse().unwrap_or_else(|_| usage()),
            "--host" => host = v.clone(),
            "--seed" => seed = v.parse().unwrap_or_else(|_| usage()),
            "--static" => static_dir = Some(std::path::PathBuf::from(v)),
            "--www" => package_dir = Some(std::path::PathBuf::from(v)),
            "--epochs" => {
                epochs = v
                    .parse()
                    .ok()
                    .filter(|n| (devnet::pool::REWARDS.len()..=10_000).contains(n))
                    .unwrap_or_else(|| usage())
            }
            "--proof-files" => proof_files = Some(std::path::PathBuf::from(v)),
            "--tamper" => {
                tamper = Some(v.parse::<devnet::Tamper>().unwrap_or_else(|e| {
                    eprintln!("{e}");
                    usage()
                }))
            }
            "--scenario" => scenarios.push(v.parse::<devnet::pool::Scenario>().unwrap_or_else(|e| {
                eprintln!("{e}");
                usage()
            })),
            _ => usage(),
        }
    }
    let t = Instant::now();
    let mut devnet = match devnet::Devnet::generate_with(seed, &scenarios, epochs) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("devnet: generating the demo chain failed: {e}");
            std::process::exit(1)
        }
    };
    if let Err(e) = devnet.tamper(tamper) {
        eprintln!("devnet: cannot set the test mode: {e}");
        std::process::exit(1)
    }
    devnet.proof_files = proof_files.clone();
    let listener = match tokio::net::TcpListener::bind((host.as_str(), port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("devnet: cannot listen on {host}:{port}: {e}");
            std::process::exit(1)
        }
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let txs = devnet.ledger.transactions().count();
    println!(
        "devnet: seed {seed}, height {}, {txs} transactions (Demo Pool, {} epochs; Demo Balance Pool, {} rounds, {} commands), generated in {:.1} s",
        devnet.ledger.height(),
        devnet.pool.epochs.len(),
        devnet::balance_pool::ROUNDS,
        devnet.balance.state_boxes.len() - 1,
        t.elapsed().as_secs_f64()
    );
    println!("  node API       http://{addr}/info");
    println!("  explorer API   http://{addr}/api/v1/");
    match &proof_files {
        Some(dir) => println!(
            "  proof service  http://{addr}/files/epochs (static files from {})",
            dir.display()
        ),
        None => println!("  proof service  http://{addr}/pool/epochs"),
    }
    println!("  pools          http://{addr}/devnet/pools.json");
    if static_dir.is_some() {
        // the devnet's own proof-of-work rules (its blocks are mined at difficulty 2): without
        // `network=devnet` the app applies mainnet's, and refuses them
        println!("  app            http://{addr}/?network=devnet");
    }
    if package_dir.is_some() {
        println!("  pool website   http://{addr}/www/examples/");
    }
    for (i, s) in scenarios.iter().enumerate() {
        println!(
            "  TEST MODE: epoch {} is a scenario in which the operator cheats ({s:?})",
            epochs + 1 + i
        );
    }
    if let Some(t) = tamper {
        println!("  TEST MODE: the devnet lies ({t:?} tampered), so that clients can be seen to catch it");
    }
    println!("Ctrl-C stops it.");
    if let Err(e) = devnet::serve(
        listener,
        devnet,
        static_dir.clone(),
        package_dir.clone(),
        shutdown_signal(),
    )
    .await
    {
        eprintln!("devnet: {e}");
        std::process::exit(1)
    }
}
