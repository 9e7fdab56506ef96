//! How many `Store::authenticate` calls a store answers per second, one at a time and with
//! several tasks at once, for a known token and for an unknown one.
//!
//! ```text
//! cargo run --release -p hark-store --example auth_bench                 # SQLite, temporary file
//! cargo run --release -p hark-store --example auth_bench -- 'postgres://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench'
//! ```
//!
//! The PostgreSQL form writes a household and a token into the database it is given (create
//! the schema first: `CREATE SCHEMA bench`, and drop it after). The figures are wall-clock
//! rates on whatever machine runs it, for judging orders of magnitude, not for tests.

use std::time::Instant;

use hark_store::{Scope, Store};
use jiff::Timestamp;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let folder = std::env::temp_dir().join(format!("hark-auth-bench-{}", std::process::id()));
    let target = args
        .next()
        .unwrap_or_else(|| format!("sqlite:{}", folder.join("hark.db").display()));
    let calls: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(20_000);

    let store = Store::open(&target).await?;
    let now = Timestamp::now();
    let home = store.create_household("Bench", "UTC", None, now).await?;
    let (_, known) = store
        .create_token(&home.id, "bench", Scope::Admin, now)
        .await?;
    let unknown = format!("hark_aaaaaaaaaa_{}", "a".repeat(52));

    println!("backend   token    tasks   calls   seconds   calls/s");
    for (what, text, expected) in [("known", &known, true), ("unknown", &unknown, false)] {
        for tasks in [1, 4, 16] {
            let per_task = calls / tasks;
            let started = Instant::now();
            let handles: Vec<_> = (0..tasks)
                .map(|_| {
                    let store = store.clone();
                    let text = text.clone();
                    tokio::spawn(async move {
                        for _ in 0..per_task {
                            let found = store.authenticate(&text).await?;
                            assert_eq!(found.is_some(), expected);
                        }
                        Ok::<_, hark_store::StoreError>(())
                    })
                })
                .collect();
            for handle in handles {
                handle.await??;
            }
            let seconds = started.elapsed().as_secs_f64();
            let total = per_task * tasks;
            println!(
                "{:<9} {what:<8} {tasks:>5} {total:>7} {seconds:>9.2} {:>9.0}",
                store.backend_name(),
                total as f64 / seconds
            );
        }
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&folder);
    Ok(())
}
