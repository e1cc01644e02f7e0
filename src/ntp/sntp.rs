//! A real SNTP client: one request, one reply, over `std::net::UdpSocket`.
//!
//! The packet is the 48-byte NTP header of RFC 5905 §7.3 (SNTP too: RFC 5905 replaced RFC 4330): timestamps count
//! seconds since 1900-01-01 in 32.32 fixed point (a 32-bit whole part and a 32-bit fraction,
//! so a resolution of 2⁻³² s ≈ 233 ps). The 32-bit whole part wraps every 2³² s ≈ 136 years:
//! era 0 ends on 2036-02-07, and a timestamp alone does not say which era it is in.
//! The client picks the era that puts it nearest a reference time it already knows roughly
//! (its own clock), which is right whenever that clock is within 68 years (chapter 6's last
//! task; the library's own conversion is crate-private).
//!
//! Nothing here panics on what arrives from the network: [`Packet::parse`] and
//! [`check_reply`] return [`Error::Packet`] or [`Error::KissOfDeath`], and every read has a
//! timeout, so [`query`] ends with [`Error::NoResponse`] when no server answers.
//!
//! ```no_run
//! use std::time::Duration;
//! let reply = faultline::ntp::sntp::query("127.0.0.1:11123", Duration::from_secs(1)).unwrap();
//! let t = reply.stamps;
//! println!("t1..t4 = {:.6} {:.6} {:.6} {:.6}, stratum {}", t.t1, t.t2, t.t3, t.t4, reply.packet.stratum);
//! ```

use std::net::{ToSocketAddrs, UdpSocket};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::Timestamps;
use crate::error::{Error, Result};

/// Seconds from the NTP epoch (1900-01-01T00:00:00Z) to the Unix epoch (1970-01-01).
pub const NTP_UNIX_OFFSET: u64 = 2_208_988_800;
/// Seconds in one NTP era, 2³².
pub const ERA: f64 = 4_294_967_296.0;
/// Length of an NTP header, bytes.
pub const HEADER_LEN: usize = 48;
/// Mode of a client's request.
pub const MODE_CLIENT: u8 = 3;
/// Mode of a server's reply.
pub const MODE_SERVER: u8 = 4;
/// The default port of a local test server (chronyd configured by the tests and the notebook).
pub const TEST_PORT: u16 = 11123;

/// Unix time `unix` (seconds, any era) as a 64-bit NTP timestamp: seconds since 1900 modulo
/// 2³² in the high 32 bits, the fraction in the low 32, rounded to the nearest 2⁻³² s.
pub fn unix_to_ntp(unix: f64) -> u64 {
    if !unix.is_finite() {
        return 0;
    }
    let ntp = (unix + NTP_UNIX_OFFSET as f64).rem_euclid(ERA);
    let whole = ntp.floor();
    let mut seconds = whole as u64;
    let mut fraction = ((ntp - whole) * ERA).round() as u64;
    if fraction >= 1 << 32 {
        fraction -= 1 << 32;
        seconds += 1;
    }
    ((seconds & 0xffff_ffff) << 32) | fraction
}

/// The Unix time of NTP timestamp `ntp`, in the era that puts it nearest `pivot_unix` (for
/// example the client's own clock). A non-finite pivot is read as era 0.
pub(crate) fn ntp_to_unix(ntp: u64, pivot_unix: f64) -> f64 {
    let secs = (ntp >> 32) as f64 + (ntp & 0xffff_ffff) as f64 / ERA;
    let era0 = secs - NTP_UNIX_OFFSET as f64;
    let era = if pivot_unix.is_finite() {
        ((pivot_unix - era0) / ERA).round()
    } else {
        0.0
    };
    era0 + era * ERA
}

/// Now, as Unix seconds, from this machine's wall clock (`SystemTime`).
pub fn now_unix() -> f64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

/// An NTP header, field by field (RFC 5905 §7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Packet {
    /// Leap indicator, 0–3 (3: the server's clock is not synchronised).
    pub leap: u8,
    /// Version number, 1–4 in practice.
    pub version: u8,
    /// Mode: 3 client, 4 server, others for peers and broadcast.
    pub mode: u8,
    /// Stratum: 0 kiss-o'-death, 1 primary, 2–15 secondary, 16 unsynchronised.
    pub stratum: u8,
    /// Poll interval, log₂ seconds.
    pub poll: i8,
    /// Precision of the server's clock, log₂ seconds.
    pub precision: i8,
    /// Round-trip delay to the primary source, 16.16 fixed-point seconds.
    pub root_delay: u32,
    /// Dispersion to the primary source, 16.16 fixed-point seconds.
    pub root_dispersion: u32,
    /// Reference id: a source's address or code; the kiss code when the stratum is 0.
    pub reference_id: [u8; 4],
    /// When the server's clock was last set, NTP timestamp.
    pub reference: u64,
    /// Origin: the client's transmit timestamp, echoed back (t1).
    pub origin: u64,
    /// Receive: when the request reached the server (t2).
    pub receive: u64,
    /// Transmit: when the reply left the server (t3); in a request, the client's t1.
    pub transmit: u64,
}

impl Packet {
    /// A version-4 client request whose transmit timestamp is `transmit`.
    pub fn request(transmit: u64) -> Self {
        Packet {
            leap: 0,
            version: 4,
            mode: MODE_CLIENT,
            stratum: 0,
            poll: 0,
            precision: 0,
            root_delay: 0,
            root_dispersion: 0,
            reference_id: [0; 4],
            reference: 0,
            origin: 0,
            receive: 0,
            transmit,
        }
    }

    /// The 48 bytes on the wire (network byte order). Fields out of range are masked: leap to
    /// 2 bits, version and mode to 3.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0] = ((self.leap & 3) << 6) | ((self.version & 7) << 3) | (self.mode & 7);
        b[1] = self.stratum;
        b[2] = self.poll as u8;
        b[3] = self.precision as u8;
        b[4..8].copy_from_slice(&self.root_delay.to_be_bytes());
        b[8..12].copy_from_slice(&self.root_dispersion.to_be_bytes());
        b[12..16].copy_from_slice(&self.reference_id);
        b[16..24].copy_from_slice(&self.reference.to_be_bytes());
        b[24..32].copy_from_slice(&self.origin.to_be_bytes());
        b[32..40].copy_from_slice(&self.receive.to_be_bytes());
        b[40..48].copy_from_slice(&self.transmit.to_be_bytes());
        b
    }

    /// Reads a header from `bytes`. Shorter than 48 bytes is an error; anything after the
    /// header (extension fields, a MAC) is ignored. Field values are not judged here; see
    /// [`check_reply`].
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let header: &[u8; HEADER_LEN] =
            bytes
                .get(..HEADER_LEN)
                .and_then(|h| h.try_into().ok())
                .ok_or_else(|| Error::Packet {
                    reason: format!("{} bytes, an NTP header needs {HEADER_LEN}", bytes.len()),
                })?;
        let u32_at = |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
        let u64_at = |i: usize| (u64::from(u32_at(i)) << 32) | u64::from(u32_at(i + 4));
        Ok(Packet {
            leap: header[0] >> 6,
            version: (header[0] >> 3) & 7,
            mode: header[0] & 7,
            stratum: header[1],
            poll: header[2] as i8,
            precision: header[3] as i8,
            root_delay: u32_at(4),
            root_dispersion: u32_at(8),
            reference_id: [header[12], header[13], header[14], header[15]],
            reference: u64_at(16),
            origin: u64_at(24),
            receive: u64_at(32),
            transmit: u64_at(40),
        })
    }

    /// The reference id as text, as a kiss code is written (`RATE`, `DENY`, …); bytes that are
    /// not printable ASCII are shown as `\xNN`.
    pub fn kiss_code(&self) -> String {
        self.reference_id
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() {
                    (b as char).to_string()
                } else {
                    format!("\\x{b:02x}")
                }
            })
            .collect()
    }
}

/// Judges a parsed reply to a request whose transmit timestamp was `sent`: it must be a
/// server's reply (mode 4) of version 1–4, not a kiss-o'-death (stratum 0), from a
/// synchronised server (stratum < 16, leap indicator ≠ 3), echo our timestamp as its origin,
/// and carry non-zero receive and transmit timestamps.
pub fn check_reply(reply: &Packet, sent: u64, server: &str) -> Result<()> {
    let bad = |reason: String| Err(Error::Packet { reason });
    if reply.mode != MODE_SERVER {
        return bad(format!(
            "mode {}, but a server's reply has mode {MODE_SERVER}",
            reply.mode
        ));
    }
    if !(1..=4).contains(&reply.version) {
        return bad(format!("version {}, expected 1 to 4", reply.version));
    }
    if reply.stratum == 0 {
        return Err(Error::KissOfDeath {
            server: server.to_string(),
            code: reply.kiss_code(),
        });
    }
    if reply.stratum >= 16 || reply.leap == 3 {
        return bad(format!(
            "the server is not synchronised (stratum {}, leap indicator {})",
            reply.stratum, reply.leap
        ));
    }
    if reply.origin != sent {
        return bad(format!(
            "origin timestamp {:#018x} is not our request's {sent:#018x} (a stale or forged reply)",
            reply.origin
        ));
    }
    if reply.receive == 0 || reply.transmit == 0 {
        return bad("zero receive or transmit timestamp".to_string());
    }
    Ok(())
}

/// A server's accepted reply and the four timestamps of the exchange.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reply {
    /// The reply as received.
    pub packet: Packet,
    /// t1 and t4 from this machine's wall clock, t2 and t3 from the server, Unix seconds.
    pub stamps: Timestamps,
}

impl Reply {
    /// θ: the server's clock minus this machine's, seconds.
    pub(crate) fn offset(&self) -> f64 {
        self.stamps.offset()
    }
    /// δ: round-trip network delay, seconds.
    pub(crate) fn delay(&self) -> f64 {
        self.stamps.delay()
    }
}

/// Asks `server` (`host:port`, or `host` for port 123) for the time, once, waiting at most
/// `timeout` for the reply.
pub fn query(server: &str, timeout: Duration) -> Result<Reply> {
    if timeout.is_zero() {
        return Err(Error::invalid("timeout", "0 ms", "must be greater than zero"));
    }
    let net = |source: std::io::Error| Error::Network {
        server: server.to_string(),
        source,
    };
    let addr = server
        .to_socket_addrs()
        .or_else(|_| (server, 123).to_socket_addrs())
        .map_err(net)?
        .next()
        .ok_or_else(|| net(std::io::Error::new(std::io::ErrorKind::NotFound, "no address")))?;
    let local = if addr.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
    let socket = UdpSocket::bind(local).map_err(net)?;
    socket.connect(addr).map_err(net)?;
    socket.set_read_timeout(Some(timeout)).map_err(net)?;
    let timeout_ms = timeout.as_millis() as u64;
    let no_response = |why: &str| Error::NoResponse {
        server: server.to_string(),
        timeout_ms,
        why: why.to_string(),
    };
    let t1 = now_unix();
    let sent = unix_to_ntp(t1);
    socket
        .send(&Packet::request(sent).encode())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::ConnectionRefused => no_response("nothing is listening on that port"),
            _ => net(e),
        })?;
    let mut buf = [0u8; 1024];
    let n = socket.recv(&mut buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
            no_response("no reply: the server is down, the port is wrong, or the packets were lost")
        }
        std::io::ErrorKind::ConnectionRefused => no_response("nothing is listening on that port"),
        _ => net(e),
    })?;
    let t4 = now_unix();
    let packet = Packet::parse(&buf[..n])?;
    check_reply(&packet, sent, server)?;
    let stamps = Timestamps {
        t1,
        t2: ntp_to_unix(packet.receive, t1),
        t3: ntp_to_unix(packet.transmit, t1),
        t4,
    };
    Ok(Reply { packet, stamps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 2⁻³² s of fixed point plus the f64 rounding of a Unix time up to ~10¹⁰ s (2 µs ULP).
    const TIMESTAMP_TOL: f64 = 2e-6;

    #[test]
    fn known_timestamps() {
        // The Unix epoch is NTP second 2 208 988 800; 2036-02-07T06:28:16Z is the first second
        // of era 1 (NTP seconds wrap to 0).
        assert_eq!(unix_to_ntp(0.0), NTP_UNIX_OFFSET << 32);
        assert_eq!(unix_to_ntp(0.5), (NTP_UNIX_OFFSET << 32) | (1 << 31));
        let era1_start = ERA - NTP_UNIX_OFFSET as f64; // 2 085 978 496
        assert_eq!(unix_to_ntp(era1_start), 0);
        assert_eq!(ntp_to_unix(0, era1_start - 10.0), era1_start);
        assert_eq!(ntp_to_unix(0, -2e9), -(NTP_UNIX_OFFSET as f64));
        assert_eq!(
            ntp_to_unix(u64::MAX, f64::NAN),
            ERA - NTP_UNIX_OFFSET as f64 - 1.0 / ERA
        );
    }

    #[test]
    fn kiss_and_wrong_mode_are_typed_errors() {
        let sent = unix_to_ntp(1_767_225_600.0);
        let mut p = Packet::request(0);
        p.mode = MODE_SERVER;
        p.stratum = 0;
        p.reference_id = *b"RATE";
        p.origin = sent;
        match check_reply(&p, sent, "x") {
            Err(Error::KissOfDeath { code, .. }) => assert_eq!(code, "RATE"),
            other => panic!("{other:?}"),
        }
        p.stratum = 2;
        p.mode = MODE_CLIENT;
        assert!(matches!(check_reply(&p, sent, "x"), Err(Error::Packet { .. })));
        p.mode = MODE_SERVER;
        assert!(
            matches!(check_reply(&p, sent, "x"), Err(Error::Packet { .. })),
            "zero timestamps"
        );
        p.receive = sent + 1;
        p.transmit = sent + 2;
        assert!(check_reply(&p, sent, "x").is_ok());
        assert!(check_reply(&p, sent + 5, "x").is_err(), "origin mismatch");
        assert!(matches!(Packet::parse(&[0u8; 47]), Err(Error::Packet { .. })));
    }

    /// Packets as a hostile or broken network might deliver them: arbitrary bytes of any
    /// length, and well-formed headers with arbitrary field values (every mode and stratum,
    /// zero timestamps, timestamps on either side of the era wrap).
    fn header_fields() -> impl Strategy<Value = Packet> {
        let ts = prop_oneof![
            Just(0u64),
            any::<u64>(),
            (0xffff_ff00u64..=0xffff_ffff).prop_map(|s| s << 32)
        ];
        (
            (0u8..4, 0u8..8, 0u8..8, any::<u8>(), any::<i8>(), any::<i8>()),
            (any::<u32>(), any::<u32>(), any::<[u8; 4]>()),
            (ts.clone(), ts.clone(), ts.clone(), ts),
        )
            .prop_map(
                |((leap, version, mode, stratum, poll, precision), (rd, rdisp, id), (r, o, rx, tx))| Packet {
                    leap,
                    version,
                    mode,
                    stratum,
                    poll,
                    precision,
                    root_delay: rd,
                    root_dispersion: rdisp,
                    reference_id: id,
                    reference: r,
                    origin: o,
                    receive: rx,
                    transmit: tx,
                },
            )
    }

    /// 4096 cases per property by default (about a second in all); `PROPTEST_CASES=N` runs N.
    fn config() -> ProptestConfig {
        if std::env::var_os("PROPTEST_CASES").is_some() {
            ProptestConfig::default()
        } else {
            ProptestConfig::with_cases(4096)
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// Arbitrary bytes, 0–200 long: parse never panics, errs exactly when short, and a
        /// parsed header encodes back to the same 48 bytes.
        #[test]
        fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            match Packet::parse(&bytes) {
                Ok(p) => {
                    prop_assert!(bytes.len() >= HEADER_LEN);
                    prop_assert_eq!(&p.encode()[..], &bytes[..HEADER_LEN]);
                    let sent = unix_to_ntp(1_767_225_600.25);
                    let _ = check_reply(&p, sent, "proptest");
                }
                Err(e) => {
                    prop_assert!(bytes.len() < HEADER_LEN);
                    prop_assert!(matches!(e, Error::Packet { .. }), "not a packet error: {}", e);
                }
            }
        }

        /// Well-formed headers with any field values: the judgement never panics, accepts only
        /// server-mode, non-kiss, synchronised replies echoing our timestamp, and a stratum-0
        /// reply in server mode is always a kiss-o'-death.
        #[test]
        fn check_reply_never_panics_and_rejects_what_it_must(p in header_fields(), echo in any::<bool>()) {
            let sent = unix_to_ntp(1_767_225_600.25);
            let p = Packet { origin: if echo { sent } else { p.origin }, ..p };
            let parsed = Packet::parse(&p.encode()).unwrap();
            prop_assert_eq!(parsed, p);
            let verdict = check_reply(&p, sent, "proptest");
            if verdict.is_ok() {
                prop_assert_eq!(p.mode, MODE_SERVER);
                prop_assert!(p.stratum >= 1 && p.stratum < 16 && p.leap != 3 && p.origin == sent);
                prop_assert!(p.receive != 0 && p.transmit != 0);
            }
            if p.mode == MODE_SERVER && (1..=4).contains(&p.version) && p.stratum == 0 {
                prop_assert!(matches!(verdict, Err(Error::KissOfDeath { .. })), "stratum 0 not a KoD: {:?}", verdict);
            }
            // Timestamps from any era decode near the pivot without panicking.
            for ts in [p.receive, p.transmit, p.reference] {
                let u = ntp_to_unix(ts, 1_767_225_600.0);
                prop_assert!((u - 1_767_225_600.0).abs() <= ERA / 2.0 + 1.0);
            }
        }

        /// Encoding then decoding a Unix time from 1900 to 2150, with the pivot anywhere within
        /// ±60 years of it, gives the time back: era handling across the 2036 wrap.
        #[test]
        fn timestamps_round_trip_across_eras(unix in -2.2e9f64..5.7e9, skew_years in -60.0f64..60.0) {
            let pivot = unix + skew_years * 365.25 * 86_400.0;
            let back = ntp_to_unix(unix_to_ntp(unix), pivot);
            prop_assert!((back - unix).abs() <= TIMESTAMP_TOL, "{} → {}", unix, back);
        }
    }
}
