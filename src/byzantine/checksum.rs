//! The weak form of lying: a packet corrupted on the way, caught by a checksum, and the lie a
//! checksum cannot catch.
//!
//! A [`Packet`] carries a payload and its CRC-32 (the `crc32fast` crate, IEEE polynomial, as
//! Ethernet and zlib use). Flipped bits almost always change the CRC; CRC-32 catches every
//! burst of up to 32 bits for certain. But a sender that *means* to lie builds a well-formed
//! packet around the false value and computes a correct CRC for it: the checksum protects
//! against the wire, not against the sender.

use rand::Rng;

use crate::error::{Result, check};
use crate::sim::Seed;

/// A payload with its CRC-32.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The bytes carried.
    pub payload: Vec<u8>,
    /// CRC-32 (IEEE) of the payload, as sent.
    pub crc: u32,
}

impl Packet {
    /// A packet with the payload's correct CRC.
    pub fn new(payload: impl Into<Vec<u8>>) -> Self {
        let payload = payload.into();
        let crc = crc32fast::hash(&payload);
        Packet { payload, crc }
    }

    /// Whether the CRC still matches the payload.
    pub fn intact(&self) -> bool {
        crc32fast::hash(&self.payload) == self.crc
    }
}

/// How a corruption experiment went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CorruptionOutcome {
    /// Packets whose payload the wire changed.
    pub corrupted: usize,
    /// Of those, how many the CRC caught.
    pub caught: usize,
    /// Of those, how many were a single burst of ≤ 32 bits (all must be caught).
    pub short_bursts: usize,
}

/// Sends `packets` copies of `payload` over a wire that corrupts each with probability
/// `p_corrupt`: it flips 1 to 8 random bits, or a random burst of up to 64 bits (half the time
/// each). Counts what the receiver's CRC check caught. Errors: an empty payload, `p_corrupt`
/// outside 0..=1.
pub fn corruption_experiment(payload: &[u8], packets: usize, p_corrupt: f64, seed: u64) -> Result<CorruptionOutcome> {
    check::probability("p_corrupt", p_corrupt)?;
    if payload.is_empty() {
        return Err(crate::Error::Empty {
            what: "payload",
            reason: "a packet must carry at least one byte",
        });
    }
    let mut rng = Seed(seed).stream(0xC4C);
    let bits = payload.len() * 8;
    let mut out = CorruptionOutcome::default();
    for _ in 0..packets {
        let mut p = Packet::new(payload);
        if !rng.random_bool(p_corrupt) {
            continue;
        }
        let mut burst = false;
        if rng.random_bool(0.5) {
            for _ in 0..rng.random_range(1..=8) {
                let b = rng.random_range(0..bits);
                p.payload[b / 8] ^= 1 << (b % 8);
            }
        } else {
            let len = rng.random_range(1..=64.min(bits));
            let start = rng.random_range(0..=bits - len);
            // A burst: first and last bit flipped, the ones between at random.
            for b in start..start + len {
                if b == start || b == start + len - 1 || rng.random_bool(0.5) {
                    p.payload[b / 8] ^= 1 << (b % 8);
                }
            }
            burst = len <= 32;
        }
        if p.payload == payload {
            continue; // the flips cancelled out: nothing to catch
        }
        out.corrupted += 1;
        out.short_bursts += usize::from(burst);
        out.caught += usize::from(!p.intact());
    }
    Ok(out)
}
