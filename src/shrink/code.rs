//! The replay code: one short, printable, copy-pasteable string that names a chapter, a task,
//! the format version, a seed and the schedule of one run, so that
//! `cargo run --bin exercise-8 -- --replay CODE` replays exactly that run with the learner's code.
//!
//! The shape is `fl8-` (the chapter, readable at a glance) followed by the URL-safe base64 of
//! the run as compact JSON and a CRC-32 of that JSON, so a code mangled in a copy is caught
//! before anything runs. Kept crates do the work (serde_json, base64, crc32fast): nothing
//! here is a hand-rolled encoding.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::fault::PlannedFault;

/// The version of the code's format. A code from another version is refused with one line.
pub const FORMAT_VERSION: u8 = 1;

/// What is wrong with a replay code: each reads as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// Not a replay code at all (wrong prefix, not base64, not the expected JSON).
    #[error("`{code}` is not a replay code: {reason} (copy the whole code the report printed, e.g. fl8-eyJ…)")]
    Malformed {
        /// The code, shortened.
        code: String,
        /// What is wrong.
        reason: String,
    },
    /// The checksum does not match: a character was lost or changed in the copy.
    #[error("replay code damaged: its checksum does not match (a character was lost or changed in the copy)")]
    Checksum,
    /// A code printed by another chapter's grader.
    #[error(
        "this replay code is from chapter {code_chapter}: run it with `cargo run --bin exercise-{code_chapter} -- --replay …`, not with exercise-{this}"
    )]
    OtherChapter {
        /// The chapter the code names.
        code_chapter: u8,
        /// The chapter of this binary.
        this: u8,
    },
    /// A code from an incompatible version of faultline.
    #[error(
        "replay code of format version {got}; this faultline reads version {want}: grade again to get a fresh code"
    )]
    Version {
        /// The code's version.
        got: u8,
        /// The version this build reads.
        want: u8,
    },
    /// The code names a task or schedule this chapter does not replay.
    #[error("replay code for task `{task}`, which chapter {chapter} cannot replay: {reason}")]
    Unsupported {
        /// The chapter.
        chapter: u8,
        /// The task named.
        task: String,
        /// Why.
        reason: String,
    },
}

/// One run's schedule, as a value: everything besides the seed and the learner's code that
/// the run depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "k")]
pub enum Schedule {
    /// A bank run (chapter 1): transfers, every message's fate, the server's faults.
    #[serde(rename = "bank")]
    Bank(crate::exercises::partial_failure::BankSchedule),
    /// A numbered-message link run (chapter 2): how many messages, every message's fate.
    #[serde(rename = "link")]
    Link(crate::exercises::network_faults::LinkSchedule),
    /// A lease world (chapter 8).
    #[serde(rename = "lease")]
    Lease(crate::lease::LeaseSchedule),
    /// An election world (chapter 9).
    #[serde(rename = "vote")]
    Election(crate::quorum::ElectionSchedule),
    /// An exhaustive model check's bound (chapter 9's vote rule): replaying it explores the
    /// same states again with the learner's rule.
    #[serde(rename = "bfs")]
    VoteModel {
        /// Nodes.
        n: usize,
        /// Highest term.
        t: u64,
        /// Most steps.
        s: usize,
    },
    /// An OM(1) run (chapter 10's `om1_decide`), and the size of the first failing run it was
    /// shrunk from, with why shrinking stopped early if it did (so a replay words the report
    /// exactly as the grader did).
    #[serde(rename = "om1")]
    Om1 {
        /// The run.
        r: crate::byzantine::Om1Schedule,
        /// The first failing run's size.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        o: Option<crate::byzantine::Om1Size>,
        /// Why shrinking stopped early.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        b: Option<String>,
    },
    /// The exhaustive OM(1) check (chapter 10): every traitor strategy of `lo..=hi` generals,
    /// in order of size; replaying it runs every case again with the learner's rule.
    #[serde(rename = "om1all")]
    Om1Model {
        /// Fewest generals.
        lo: usize,
        /// Most generals.
        hi: usize,
    },
    /// A lease world's storage log, read by a checker (chapter 12's `first_stale_write`).
    #[serde(rename = "writes")]
    Writes(crate::models::WriteRun),
    /// The exhaustive fencing check's bound (chapter 8): replaying it runs every placement of
    /// up to `p` pauses again with the learner's rule and shows the first run that breaks.
    #[serde(rename = "fence")]
    FenceModel {
        /// Most pauses per schedule.
        p: usize,
    },
    /// Plain faults on a seed, for worlds that need nothing more.
    #[serde(rename = "faults")]
    Faults {
        /// The faults.
        f: Vec<PlannedFault>,
    },
}

impl Schedule {
    /// Whether replaying this schedule re-runs an exhaustive check (every state up to a bound)
    /// rather than one seeded run.
    pub fn is_exhaustive(&self) -> bool {
        matches!(
            self,
            Schedule::VoteModel { .. } | Schedule::Om1Model { .. } | Schedule::FenceModel { .. }
        )
    }
}

/// Everything a replay needs: chapter, task, format version, seed and schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayCode {
    /// Format version ([`FORMAT_VERSION`]).
    #[serde(rename = "v")]
    pub version: u8,
    /// Chapter (= exercise) number.
    #[serde(rename = "c")]
    pub chapter: u8,
    /// The task whose property broke.
    #[serde(rename = "t")]
    pub task: String,
    /// The world's seed.
    #[serde(rename = "s")]
    pub seed: u64,
    /// The schedule.
    #[serde(rename = "r")]
    pub schedule: Schedule,
    /// For a shrunk run: the size of the first failing run it was shrunk from, and why shrinking
    /// stopped early if it did, as the grader's report worded them, so that `--replay` prints
    /// the report's "shrunk" line again (the shrunk size itself is measured again by the
    /// replay). Absent from codes of runs that were not shrunk.
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub shrunk_from: Option<ShrunkFrom>,
}

/// Where a shrunk run came from: the first failing run's size and why shrinking stopped early.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShrunkFrom {
    /// The first failing run's size, as the report words it ("6 pauses, 3 clients, …").
    #[serde(rename = "z")]
    pub size: String,
    /// Why shrinking stopped early ("run budget", "time budget"), when it did.
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<String>,
}

impl ReplayCode {
    /// A code of the current format version.
    pub fn new(chapter: u8, task: &str, seed: u64, schedule: Schedule) -> Self {
        ReplayCode {
            version: FORMAT_VERSION,
            chapter,
            task: task.to_string(),
            seed,
            schedule,
            shrunk_from: None,
        }
    }

    /// The same code, for a run shrunk from a first failing run of size `first`; `stopped_by`
    /// says why shrinking stopped early, if it did.
    pub fn with_first_run(mut self, first: impl Into<String>, stopped_by: Option<&str>) -> Self {
        self.shrunk_from = Some(ShrunkFrom {
            size: first.into(),
            stopped_by: stopped_by.map(str::to_string),
        });
        self
    }

    /// The report's "shrunk" line for this code's run, whose size is now `now`: the grader's
    /// line again (`from <first> to <now>`) for a shrunk run, `otherwise()` for any other.
    pub fn shrunk_line(&self, now: Option<&str>, otherwise: impl FnOnce() -> String) -> String {
        match (&self.shrunk_from, now) {
            (Some(f), Some(now)) => super::shrunk_line(&f.size, now, f.stopped_by.as_deref()),
            _ => otherwise(),
        }
    }

    /// The printable code: `fl<chapter>-<base64url(json ‖ crc32)>`.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).expect("a replay code always serialises");
        let mut bytes = json.clone();
        bytes.extend_from_slice(&crc32fast::hash(&json).to_be_bytes());
        format!("fl{}-{}", self.chapter, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a code printed by [`ReplayCode::encode`], for the binary of chapter `chapter`:
    /// a malformed or damaged code, one from another chapter or from another format version is
    /// a [`ReplayError`], never a panic.
    pub fn decode(code: &str, chapter: u8) -> Result<Self, ReplayError> {
        let code = code.trim();
        let malformed = |reason: &str| ReplayError::Malformed {
            code: shorten(code),
            reason: reason.to_string(),
        };
        let rest = code
            .strip_prefix("fl")
            .ok_or_else(|| malformed("it does not start with `fl`"))?;
        let (prefix, body) = rest
            .split_once('-')
            .ok_or_else(|| malformed("no `-` after the chapter number"))?;
        let prefix_chapter: u8 = prefix.parse().map_err(|_| malformed("no chapter number after `fl`"))?;
        if prefix_chapter != chapter {
            return Err(ReplayError::OtherChapter {
                code_chapter: prefix_chapter,
                this: chapter,
            });
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| malformed("its body is not URL-safe base64"))?;
        if bytes.len() < 5 {
            return Err(malformed("it is too short"));
        }
        let (json, sum) = bytes.split_at(bytes.len() - 4);
        let sum = u32::from_be_bytes([sum[0], sum[1], sum[2], sum[3]]);
        if crc32fast::hash(json) != sum {
            return Err(ReplayError::Checksum);
        }
        // The version first, so an older or newer shape reads as a version problem.
        let head: serde_json::Value = serde_json::from_slice(json).map_err(|_| malformed("not a run inside"))?;
        let version = head.get("v").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if version != u64::from(FORMAT_VERSION) {
            return Err(ReplayError::Version {
                got: u8::try_from(version).unwrap_or(u8::MAX),
                want: FORMAT_VERSION,
            });
        }
        let code: ReplayCode =
            serde_json::from_value(head).map_err(|e| malformed(&format!("not a run inside ({e})")))?;
        if code.chapter != chapter {
            return Err(ReplayError::OtherChapter {
                code_chapter: code.chapter,
                this: chapter,
            });
        }
        Ok(code)
    }
}

fn shorten(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() <= 24 {
        code.to_string()
    } else {
        format!("{}…", chars[..20].iter().collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ReplayCode {
        ReplayCode::new(
            9,
            "grant_vote",
            42,
            Schedule::Faults {
                f: vec![PlannedFault::Pause {
                    node: 1,
                    at_s: 2.5,
                    length_s: 1.25,
                    mid: true,
                }],
            },
        )
    }

    #[test]
    fn a_code_reads_back_and_bad_codes_are_one_line_errors() {
        let code = sample().encode();
        assert!(code.starts_with("fl9-"), "{code}");
        assert_eq!(ReplayCode::decode(&code, 9), Ok(sample()));
        assert_eq!(
            ReplayCode::decode(&code, 8),
            Err(ReplayError::OtherChapter {
                code_chapter: 9,
                this: 8
            })
        );
        assert!(matches!(
            ReplayCode::decode("hello", 9),
            Err(ReplayError::Malformed { .. })
        ));
        assert!(matches!(
            ReplayCode::decode("fl9-!!!", 9),
            Err(ReplayError::Malformed { .. })
        ));
        // One character changed in the copy.
        let mut damaged: Vec<char> = code.chars().collect();
        let i = damaged.len() / 2;
        damaged[i] = if damaged[i] == 'A' { 'B' } else { 'A' };
        let damaged: String = damaged.into_iter().collect();
        assert_eq!(ReplayCode::decode(&damaged, 9), Err(ReplayError::Checksum));
        // Another version.
        let mut old = sample();
        old.version = 0;
        assert_eq!(
            ReplayCode::decode(&old.encode(), 9),
            Err(ReplayError::Version {
                got: 0,
                want: FORMAT_VERSION
            })
        );
        for e in [
            ReplayCode::decode("fl9-", 9).unwrap_err(),
            ReplayCode::decode(&damaged, 9).unwrap_err(),
        ] {
            assert!(!e.to_string().contains('\n'));
        }
    }
}
