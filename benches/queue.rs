//! Customers per second of faultline's two M/M/1 simulators: the event-driven engine and
//! Lindley's recursion. `scripts/bench-peers` runs this beside SimPy and Ciw on the same
//! workload; alone:
//!
//!     cargo bench --bench queue -- --customers 1000000 --rho 0.9
//!
//! Each simulator runs the whole workload several times (one seed each) and the median time is
//! reported, so one slow run on a shared machine does not decide the figure. Output, one line
//! each: `faultline-events customers=N seconds=S rate=R mean_wait=W`, the same for
//! `faultline-lindley`, then `theory mean_wait=W`.

use std::process::ExitCode;
use std::time::Instant;

use faultline::queueing::theory::Mm1;
use faultline::queueing::{Network, RunOptions, lindley_mean_wait};
use faultline::sim::Dist;

struct Args {
    customers: u64,
    rho: f64,
    seed: u64,
    repeats: usize,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        customers: 1_000_000,
        rho: 0.9,
        seed: 1,
        repeats: 7,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "--bench" => {} // added by `cargo bench`
            "--customers" => {
                a.customers = value("--customers")?
                    .parse()
                    .map_err(|_| "--customers must be a whole number".to_string())?
            }
            "--rho" => {
                a.rho = value("--rho")?
                    .parse()
                    .map_err(|_| "--rho must be a number".to_string())?
            }
            "--seed" => {
                a.seed = value("--seed")?
                    .parse()
                    .map_err(|_| "--seed must be a whole number".to_string())?
            }
            "--repeats" => {
                a.repeats = value("--repeats")?
                    .parse()
                    .map_err(|_| "--repeats must be a whole number".to_string())?
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}` (flags: --customers, --rho, --seed, --repeats)"
                ));
            }
        }
    }
    if a.customers == 0 || a.repeats == 0 {
        return Err("--customers and --repeats must be at least 1".into());
    }
    Ok(a)
}

/// Runs `f` once per repeat (seeds seed, seed+1, …) and returns the median seconds and the
/// mean of the results.
fn time(
    repeats: usize,
    seed: u64,
    mut f: impl FnMut(u64) -> Result<f64, faultline::Error>,
) -> Result<(f64, f64), faultline::Error> {
    let mut secs = Vec::with_capacity(repeats);
    let mut results = 0.0;
    for r in 0..repeats {
        let t = Instant::now();
        let v = std::hint::black_box(f(seed + r as u64)?);
        secs.push(t.elapsed().as_secs_f64());
        results += v;
    }
    secs.sort_by(f64::total_cmp);
    Ok((secs[repeats / 2], results / repeats as f64))
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench queue: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench queue: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(a: &Args) -> Result<(), faultline::Error> {
    let (lambda, mu) = (a.rho, 1.0);
    let theory = Mm1::new(lambda, mu)?;
    let net = Network::mm1(lambda, mu)?;
    let opts = RunOptions {
        record: false,
        limits: None,
    };
    let (secs, wait) = time(a.repeats, a.seed, |s| {
        let out = net.run(a.customers, s, &opts)?;
        Ok(out.stations[0].mean_wait())
    })?;
    println!(
        "faultline-events customers={} seconds={secs:.6} rate={:.0} mean_wait={wait:.4}",
        a.customers,
        a.customers as f64 / secs
    );
    let ia = Dist::exponential(1.0 / lambda)?;
    let sv = Dist::exponential(1.0 / mu)?;
    let (secs, wait) = time(a.repeats, a.seed, |s| lindley_mean_wait(&ia, &sv, a.customers, s))?;
    println!(
        "faultline-lindley customers={} seconds={secs:.6} rate={:.0} mean_wait={wait:.4}",
        a.customers,
        a.customers as f64 / secs
    );
    println!("theory mean_wait={:.4}", theory.mean_wait());
    Ok(())
}
