//! Progress bars for long runs. They draw on stderr only when it is a terminal (indicatif
//! hides them otherwise), so piped output and CI logs stay clean.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` steps labelled `message`.
pub fn bar(len: u64, message: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len} {elapsed}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(message.to_string());
    pb
}
