//! Running the learner's code without letting a `todo!()` become a backtrace.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// Why the learner's code did not return a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Panicked {
    /// It reached `todo!()` or `unimplemented!()`: the task is not attempted yet.
    Todo,
    /// It panicked for another reason (index out of range, overflow, `unwrap` on `None`, …).
    Other(String),
}

impl Panicked {
    /// How a plot names the learner's `task` when it gave nothing to draw:
    /// `"your backoff: not attempted yet"`, or `"your backoff panicked: <first 60 characters>"`.
    pub fn label(&self, task: &str) -> String {
        match self {
            Panicked::Todo => format!("your {task}: not attempted yet"),
            Panicked::Other(m) => {
                let line = m.lines().next().unwrap_or("");
                let short: String = line.chars().take(60).collect();
                let more = if line.chars().count() > 60 { "…" } else { "" };
                format!("your {task} panicked: {short}{more}")
            }
        }
    }
}

thread_local! {
    static QUIET: Cell<u32> = const { Cell::new(0) };
}
static HOOK: Once = Once::new();

/// Installs (once per process) a panic hook that stays silent while [`attempt`] runs on this
/// thread and otherwise hands over to whatever hook was there before (the default one, the
/// test harness's, or evcxr's).
fn install_quiet_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, catching a panic: `todo!()` and `unimplemented!()` become [`Panicked::Todo`],
/// any other panic becomes [`Panicked::Other`] with its message. Nothing is printed.
pub fn attempt<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    install_quiet_hook();
    QUIET.with(|q| q.set(q.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic with a non-text payload".to_string());
        if message.starts_with("not yet implemented") || message.starts_with("not implemented") {
            Panicked::Todo
        } else {
            Panicked::Other(message)
        }
    })
}

/// What a figure's title says about the learner's series for `task` when it could not be drawn:
/// `" (your <task>: not attempted yet)"` for a `todo!()`, `" (your <task> panicked)"` for another
/// panic, nothing when `why` is `None` (it ran).
pub fn missing_note(task: &str, why: Option<&Panicked>) -> String {
    match why {
        None => String::new(),
        Some(Panicked::Todo) => format!(" (your {task}: not attempted yet)"),
        Some(Panicked::Other(_)) => format!(" (your {task} panicked)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todo_is_not_attempted_and_other_panics_keep_their_message() {
        assert_eq!(attempt(|| -> i32 { todo!() }), Err(Panicked::Todo));
        assert_eq!(attempt(|| -> i32 { unimplemented!("later") }), Err(Panicked::Todo));
        let v: Vec<i32> = vec![];
        assert_eq!(
            attempt(|| v[3]),
            Err(Panicked::Other(
                "index out of bounds: the len is 0 but the index is 3".into()
            ))
        );
        assert_eq!(attempt(|| 7), Ok(7));
        assert_eq!(Panicked::Todo.label("backoff"), "your backoff: not attempted yet");
        assert_eq!(
            Panicked::Other("x".repeat(70)).label("f"),
            format!("your f panicked: {}…", "x".repeat(60))
        );
    }
}
