//! The devnet as a process: it prints its URLs, answers with open CORS like public nodes, and
//! shuts down gracefully on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn starts_prints_its_urls_answers_cross_origin_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devnet"))
        .args(["--port", "0", "--seed", "7"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("devnet: seed 7, height "), "{first}");
    let node = lines.next().unwrap().unwrap();
    let url = node.split_whitespace().last().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:") && url.ends_with("/info"), "{node}");

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let r = agent
        .get(&url)
        .header("Origin", "https://miner.example")
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers().get("access-control-allow-origin").unwrap(), "*");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("shutting down"), "{err}");
}
