//! The project the front door works on: its root folder, its manifest, and the learner's
//! chapters and tasks by number or name.

use std::path::{Path, PathBuf};

use faultline::exercises::manifest::{ChapterInfo, MANIFEST_TOML, Manifest, TaskInfo};

/// What the front door was asked for that does not exist, or could not do: one line, exit 2.
#[derive(Debug, thiserror::Error)]
pub enum FrontError {
    /// No chapter with that number.
    #[error("no chapter {asked}; the chapters are {list}")]
    NoChapter {
        /// What was asked for.
        asked: String,
        /// The chapters that exist, e.g. "1–11".
        list: String,
    },
    /// No task with that name or number in the chapter.
    #[error("chapter {chapter} has no task `{asked}`; its tasks are {list}")]
    NoTask {
        /// The chapter.
        chapter: u8,
        /// What was asked for.
        asked: String,
        /// "1 backoff, 2 safe_to_retry, …".
        list: String,
    },
    /// The manifest in the project folder does not parse.
    #[error("{0}")]
    Manifest(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Cargo could not be run, or said something we cannot read.
    #[error("{0}")]
    Cargo(String),
    /// The file watcher could not start.
    #[error("cannot watch {path}: {message}")]
    Watch {
        /// The folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

impl FrontError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        FrontError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The workbook the front door grades.
#[derive(Debug)]
pub struct Project {
    /// The folder holding `Cargo.toml` and `chapters.toml`.
    pub root: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

impl Project {
    /// The project around the current folder (the nearest ancestor with both `Cargo.toml` and
    /// `chapters.toml`), or else the one this binary was built from.
    pub fn find() -> Result<Project, FrontError> {
        let here = std::env::current_dir().ok();
        let root = here
            .iter()
            .flat_map(|d| d.ancestors())
            .find(|d| d.join("Cargo.toml").is_file() && d.join("chapters.toml").is_file())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let text = std::fs::read_to_string(root.join("chapters.toml")).unwrap_or_else(|_| MANIFEST_TOML.to_string());
        let manifest = Manifest::parse(&text).map_err(|e| FrontError::Manifest(e.to_string()))?;
        Ok(Project { root, manifest })
    }

    /// The chapters, in order.
    pub fn chapters(&self) -> &[ChapterInfo] {
        &self.manifest.chapters
    }

    /// "1–11" (or "1, 2, 5" when there are gaps).
    fn chapter_list(&self) -> String {
        let numbers: Vec<u8> = self.chapters().iter().map(|c| c.number).collect();
        match (numbers.first(), numbers.last()) {
            (Some(a), Some(b)) if usize::from(b - a) + 1 == numbers.len() => format!("{a}–{b}"),
            _ => numbers.iter().map(u8::to_string).collect::<Vec<_>>().join(", "),
        }
    }

    /// The chapter numbered `asked`.
    pub fn chapter(&self, asked: &str) -> Result<&ChapterInfo, FrontError> {
        asked
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|n| self.chapters().iter().find(|c| c.number == n))
            .ok_or_else(|| FrontError::NoChapter {
                asked: asked.to_string(),
                list: self.chapter_list(),
            })
    }

    /// Task `asked` of `chapter`: its name, or its number (1 = the first).
    pub fn task<'a>(&self, chapter: &'a ChapterInfo, asked: &str) -> Result<&'a TaskInfo, FrontError> {
        let by_number = asked
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|k| k.checked_sub(1))
            .and_then(|k| chapter.tasks.get(k));
        by_number
            .or_else(|| chapter.task(asked.trim()))
            .ok_or_else(|| FrontError::NoTask {
                chapter: chapter.number,
                asked: asked.to_string(),
                list: chapter
                    .tasks
                    .iter()
                    .enumerate()
                    .map(|(i, t)| format!("{} {}", i + 1, t.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The learner's file of `chapter`, absolute.
    pub fn exercise_file(&self, chapter: &ChapterInfo) -> PathBuf {
        self.root.join(&chapter.exercise)
    }

    /// The shipped stub of `chapter`: `stubs/` holds a copy of every learner file as shipped.
    pub fn stub_file(&self, chapter: &ChapterInfo) -> PathBuf {
        let name = Path::new(&chapter.exercise)
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default();
        self.root.join("stubs").join(name)
    }
}
