//! Which hint tiers a learner has seen, so that a bare `--hint` (and `faultline hint N`) shows
//! the *next* tier each time it is asked for the same task.
//!
//! The tiers themselves are data in `chapters.toml`; this file only remembers how far each
//! task's learner has read. It lives beside the plots, in `target/faultline/hints.toml` under
//! the crate root (or under `$FAULTLINE_STATE_DIR` when that is set, as the tests do), so
//! `cargo clean` forgets it and nothing in the learner's tree changes:
//!
//! ```toml
//! # faultline: hint tiers you have seen, per chapter and task (delete this file to start over)
//! [chapter-5]
//! drift_after = 2
//! ```
//!
//! A task that passes is forgotten, so its hints start again from the gentlest. A missing or
//! unreadable file reads as "nothing seen": a hint must always show.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The environment variable that moves the state file's folder (tests point it at a temp dir).
pub const STATE_DIR_VAR: &str = "FAULTLINE_STATE_DIR";

/// The hint tiers seen, per chapter and task, and where they are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HintState {
    path: PathBuf,
    /// `"chapter-N"` → task name → highest tier shown (1-based).
    shown: BTreeMap<String, BTreeMap<String, usize>>,
    changed: bool,
}

/// The state file for the project rooted at `root`: `root/target/faultline/hints.toml`, or
/// `$FAULTLINE_STATE_DIR/hints.toml`.
pub fn state_path(root: &Path) -> PathBuf {
    match std::env::var_os(STATE_DIR_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("hints.toml"),
        _ => root.join("target").join("faultline").join("hints.toml"),
    }
}

fn key(chapter: u8) -> String {
    format!("chapter-{chapter}")
}

impl HintState {
    /// Reads the state at `path`; a missing or malformed file is an empty state.
    pub fn load(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let shown = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default();
        HintState {
            path,
            shown,
            changed: false,
        }
    }

    /// The state of the project rooted at `root` (see [`state_path`]).
    pub fn for_project(root: &Path) -> Self {
        Self::load(state_path(root))
    }

    /// Where this state is kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The highest tier of `task` shown so far (0 = none).
    pub fn shown(&self, chapter: u8, task: &str) -> usize {
        self.shown
            .get(&key(chapter))
            .and_then(|m| m.get(task))
            .copied()
            .unwrap_or(0)
    }

    /// The tier a bare `--hint` shows next for a task with `tiers` tiers: one past the last
    /// shown, and the last tier again once all have been seen.
    pub fn next_tier(&self, chapter: u8, task: &str, tiers: usize) -> usize {
        (self.shown(chapter, task) + 1).min(tiers.max(1))
    }

    /// Remembers that tier `tier` of `task` was shown (the highest shown is kept).
    pub fn record(&mut self, chapter: u8, task: &str, tier: usize) {
        if tier > self.shown(chapter, task) {
            self.shown
                .entry(key(chapter))
                .or_default()
                .insert(task.to_string(), tier);
            self.changed = true;
        }
    }

    /// Forgets `task` (it passed): its next hint is the gentlest again.
    pub fn forget(&mut self, chapter: u8, task: &str) {
        let k = key(chapter);
        if let Some(m) = self.shown.get_mut(&k)
            && m.remove(task).is_some()
        {
            self.changed = true;
            if m.is_empty() {
                self.shown.remove(&k);
            }
        }
    }

    /// Writes the state back if it changed (to a temporary file, then renamed over the old
    /// one, so a reader never sees half a file).
    ///
    /// # Errors
    /// When the folder cannot be created or the file written.
    pub fn save(&mut self) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let mut text = String::from(
            "# faultline: hint tiers you have seen, per chapter and task (delete this file to start over)\n",
        );
        for (chapter, tasks) in &self.shown {
            text.push_str(&format!("[{chapter}]\n"));
            for (task, tier) in tasks {
                // Task names are Rust identifiers, so they are bare TOML keys; quote anyway.
                text.push_str(&format!("{task:?} = {tier}\n"));
            }
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self.path.with_extension(format!("toml.{}.tmp", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &self.path)?;
        self.changed = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_advance_per_ask_stop_at_the_last_and_reset_on_a_pass() {
        let dir = std::env::temp_dir().join(format!("faultline-hints-{}", std::process::id()));
        let path = dir.join("hints.toml");
        let _ = std::fs::remove_dir_all(&dir);
        let mut s = HintState::load(&path);
        assert_eq!(s.next_tier(5, "drift_after", 3), 1);
        s.record(5, "drift_after", 1);
        s.save().unwrap();
        let mut s = HintState::load(&path);
        assert_eq!(s.next_tier(5, "drift_after", 3), 2);
        s.record(5, "drift_after", 3);
        s.record(5, "drift_after", 2); // a lower tier asked by number keeps the highest
        s.record(6, "offset", 1);
        s.save().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("[chapter-5]") && text.contains("\"drift_after\" = 3"),
            "{text}"
        );
        let mut s = HintState::load(&path);
        assert_eq!(s.next_tier(5, "drift_after", 3), 3);
        assert_eq!(s.next_tier(5, "other", 2), 1);
        s.forget(5, "drift_after");
        s.save().unwrap();
        let s = HintState::load(&path);
        assert_eq!(s.next_tier(5, "drift_after", 3), 1);
        assert_eq!(s.shown(6, "offset"), 1);
        std::fs::write(&path, "not = [toml").unwrap();
        assert_eq!(HintState::load(&path).shown(6, "offset"), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
