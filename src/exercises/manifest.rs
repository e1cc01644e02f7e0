//! `chapters.toml`, the one manifest of the workbook: chapter order, titles, the learner's and
//! the solution's files, notebooks, and each task's hint tiers.
//!
//! It is compiled in (`include_str!`) and parsed once into typed structs, so a binary, a test
//! and a notebook all read the same text. `tests/manifest.rs` checks it against `Cargo.toml`'s
//! binaries, the files on disk and the graders' task names.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{Error, Result};

/// The manifest's text, as shipped.
pub const MANIFEST_TOML: &str = include_str!("../../chapters.toml");

/// Every chapter, in order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The chapters (`[[chapter]]` tables), in book order.
    #[serde(rename = "chapter")]
    pub chapters: Vec<ChapterInfo>,
}

/// One `[[chapter]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterInfo {
    /// Chapter (and exercise) number, 1–12: the binaries are `exercise-N` and `solution-N`.
    pub number: u8,
    /// The chapter's module under `faultline::exercises`, e.g. `clock_drift`.
    pub slug: String,
    /// Title, e.g. "Clock drift".
    pub title: String,
    /// The learner's file, relative to the crate root.
    pub exercise: String,
    /// The reference solution's file, relative to the crate root.
    pub solution: String,
    /// The notebook to read first, relative to the crate root.
    pub notebook: String,
    /// The tasks (`[[chapter.task]]` tables), in the order they are graded.
    #[serde(rename = "task")]
    pub tasks: Vec<TaskInfo>,
}

/// One `[[chapter.task]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskInfo {
    /// The task's name: the function the learner writes.
    pub name: String,
    /// Two or three hints, from a nudge toward the idea to nearly the answer.
    pub hints: Vec<String>,
}

impl Manifest {
    /// Parses and validates a manifest: numbers and task names unique, two or three hints per
    /// task.
    pub fn parse(text: &str) -> Result<Manifest> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| Error::Manifest {
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        let bad = |message: String| Err(Error::Manifest { message });
        for (i, ch) in manifest.chapters.iter().enumerate() {
            if manifest.chapters[..i].iter().any(|c| c.number == ch.number) {
                return bad(format!("chapter {} is listed twice", ch.number));
            }
            if ch.tasks.is_empty() {
                return bad(format!("chapter {} has no tasks", ch.number));
            }
            for (j, task) in ch.tasks.iter().enumerate() {
                if ch.tasks[..j].iter().any(|t| t.name == task.name) {
                    return bad(format!("chapter {}: task `{}` is listed twice", ch.number, task.name));
                }
                if !(2..=3).contains(&task.hints.len()) || task.hints.iter().any(|h| h.trim().is_empty()) {
                    return bad(format!(
                        "chapter {}: task `{}` needs two or three non-empty hints",
                        ch.number, task.name
                    ));
                }
            }
        }
        Ok(manifest)
    }

    /// The chapter numbered `number`.
    pub fn chapter(&self, number: u8) -> Result<&ChapterInfo> {
        self.chapters
            .iter()
            .find(|c| c.number == number)
            .ok_or_else(|| Error::Manifest {
                message: format!("no chapter {number}"),
            })
    }
}

impl ChapterInfo {
    /// The task named `name`, if the manifest lists it.
    pub fn task(&self, name: &str) -> Option<&TaskInfo> {
        self.tasks.iter().find(|t| t.name == name)
    }

    /// The hint tiers of task `name`, gentlest first (none if the manifest does not list it;
    /// `tests/manifest.rs` makes sure it does).
    pub fn hints(&self, name: &str) -> &[String] {
        self.task(name).map_or(&[], |t| t.hints.as_slice())
    }
}

/// The shipped manifest, parsed on first use.
pub fn manifest() -> Result<&'static Manifest> {
    static PARSED: OnceLock<std::result::Result<Manifest, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| Manifest::parse(MANIFEST_TOML).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|message| Error::Manifest {
            message: message.trim_start_matches("chapters.toml: ").to_string(),
        })
}

/// The shipped manifest's entry for chapter `number`.
pub fn chapter(number: u8) -> Result<&'static ChapterInfo> {
    manifest()?.chapter(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_manifest_parses() {
        let m = manifest().expect("chapters.toml parses");
        assert!(m.chapter(5).is_ok());
        assert!(matches!(m.chapter(99), Err(Error::Manifest { .. })));
    }

    #[test]
    fn one_hint_is_not_enough() {
        let text = r#"
            [[chapter]]
            number = 1
            slug = "x"
            title = "X"
            exercise = "e"
            solution = "s"
            notebook = "n"
            [[chapter.task]]
            name = "t"
            hints = ["only one"]
        "#;
        let e = Manifest::parse(text).unwrap_err();
        assert!(e.to_string().contains("two or three"), "{e}");
        assert!(Manifest::parse("[[chapter]]\nnumber = \"one\"").is_err());
    }
}
