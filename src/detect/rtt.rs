//! Round-trip times: loaded from a CSV file, or drawn from the synthetic model behind data/rtt.csv.

use crate::data::load_csv;
use crate::error::{Error, Result};
use crate::sim::{Dist, stream};
use serde::Deserialize;
use std::path::Path;

/// One row of an RTT file such as `data/rtt.csv`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct RttRow {
    /// Probe number.
    pub seq: u64,
    /// Round-trip time, milliseconds.
    pub rtt_ms: f64,
}

/// Loads round-trip times (in seconds) from a CSV with columns `seq,rtt_ms`. A missing file,
/// a malformed row, or an RTT that is not a positive finite number is an [`Error::Data`]
/// naming the file, line and field, and so is a file with no rows.
pub fn load_rtts(path: &Path) -> Result<Vec<f64>> {
    // load_csv already rejects a file without data rows.
    let rows: Vec<RttRow> = load_csv(path)?;
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            if r.rtt_ms.is_finite() && r.rtt_ms > 0.0 {
                Ok(r.rtt_ms / 1e3)
            } else {
                Err(Error::Data {
                    file: path.to_path_buf(),
                    line: i as u64 + 2,
                    field: Some("rtt_ms".into()),
                    message: format!("{} is not a positive number of milliseconds", r.rtt_ms),
                })
            }
        })
        .collect()
}

/// The synthetic RTT model behind `data/rtt.csv`: 20 ms of propagation, lognormal queueing
/// delay (mean 4 ms, sd 6 ms), and with probability 1% a retransmission that adds 200 ms
/// (a TCP minimum retransmission timeout). Returns `n` RTTs in milliseconds, rounded to µs.
pub fn synthetic_rtts_ms(n: usize, seed: u64) -> Vec<f64> {
    use rand::Rng;
    let mut r = stream(seed, 0);
    let queueing = Dist::lognormal(4.0, 6.0).expect("valid constants");
    (0..n)
        .map(|_| {
            let mut rtt = 20.0 + queueing.sample(&mut r);
            if r.random_bool(0.01) {
                rtt += 200.0;
            }
            (rtt * 1e3).round() / 1e3
        })
        .collect()
}
