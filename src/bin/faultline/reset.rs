//! `faultline reset N`: the chapter's shipped stub back in place, after the learner's file is
//! copied to a timestamped backup.
//!
//! The stubs are read from `stubs/`, a copy of every learner file as shipped (CI checks that
//! `exercises/` and `stubs/` agree on a fresh clone). Not `git show HEAD:…`: a learner who
//! commits their work would get their own answers back, and a workbook downloaded as an archive
//! has no git at all. Not compiled in either: a new chapter then needs only its file there.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use faultline::exercises::manifest::ChapterInfo;

use crate::project::{FrontError, Project};

/// What `reset` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Reset {
    /// The file already was the stub: nothing changed.
    AlreadyStub(PathBuf),
    /// The learner's file was saved to `backup`, then the stub written over it.
    Restored {
        /// The learner's file, now the stub again.
        file: PathBuf,
        /// Where their version went.
        backup: PathBuf,
    },
}

/// Restores chapter `ch`'s stub, backing the learner's file up first under `backups/`.
pub fn reset(project: &Project, ch: &ChapterInfo) -> Result<Reset, FrontError> {
    let file = project.exercise_file(ch);
    let stub_path = project.stub_file(ch);
    let stub = std::fs::read_to_string(&stub_path).map_err(|e| FrontError::io(&stub_path, e))?;
    let current = match std::fs::read(&file) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(FrontError::io(&file, e)),
    };
    if current.as_deref() == Some(stub.as_bytes()) {
        return Ok(Reset::AlreadyStub(file));
    }
    let backup = match current {
        Some(bytes) => {
            let backup = backup_path(&project.root, &file);
            if let Some(dir) = backup.parent() {
                std::fs::create_dir_all(dir).map_err(|e| FrontError::io(dir, e))?;
            }
            std::fs::write(&backup, &bytes).map_err(|e| FrontError::io(&backup, e))?;
            // Never overwrite the learner's work unless the backup reads back the same.
            let check = std::fs::read(&backup).map_err(|e| FrontError::io(&backup, e))?;
            if check != bytes {
                return Err(FrontError::io(
                    &backup,
                    std::io::Error::other("the backup does not read back as written; nothing was reset"),
                ));
            }
            backup
        }
        None => PathBuf::new(),
    };
    std::fs::write(&file, stub).map_err(|e| FrontError::io(&file, e))?;
    Ok(Reset::Restored { file, backup })
}

/// `backups/05_clock_drift.2026-12-03T08-31-02Z.rs`, with `-2`, `-3`, … if that is taken.
fn backup_path(root: &Path, file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = utc_stamp(SystemTime::now());
    let dir = root.join("backups");
    let mut path = dir.join(format!("{stem}.{stamp}.rs"));
    let mut k = 2;
    while path.exists() {
        path = dir.join(format!("{stem}.{stamp}-{k}.rs"));
        k += 1;
    }
    path
}

/// `2026-12-03T08-31-02Z` (no colons, so it is a valid file name everywhere).
fn utc_stamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}-{:02}-{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Year, month, day of the `days`-th day after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
