//! `rewards-demo`: demo [--port N] [--data DIR] [--keep] | bench [...].

use std::process::ExitCode;

const HELP: &str = "rewards-demo — the demo stores and the webhook load client of the rewards server

USAGE:
  rewards-demo demo [--port N] [--data DIR] [--keep]
                                             the demo stores + widget, one server per store and program
                                             (Vietnamese/VND on port N, default 8787; English/USD on N+1),
                                             each on an embedded SQLite file
  rewards-demo bench [--endpoint orders|shopify] [--requests N] [--concurrency N] [--database-url URL]
                                             measure order-webhook throughput and latency on loopback";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => rewards_demo::demo::run(&args).await,
        Some("bench") => rewards_demo::bench::run(&args).await,
        Some("help" | "--help" | "-h") => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        _ => Err(HELP.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
