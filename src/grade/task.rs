//! A task declared once, as a typed value: its name, its grader and the mistakes the grader
//! must reject.
//!
//! A chapter lists its tasks (`&'static [Task<Answers>]`); the shared grading routine
//! (`crate::exercises::grade_chapter`) runs each task's grader with the hints that
//! `chapters.toml` gives under the same name, and the maintainers' self-check installs each
//! mistake into the reference answers and proves that this task, and only this task, fails.
//! So a task's name is written once in Rust, and its hints once in the manifest.
//!
//! The same catalogue diagnoses a learner's failure: [`Task::diagnose`] installs each mistake
//! into a copy of the *learner's* answers and grades it on the same seed; when a mistake fails
//! on the same case with the same value, the learner's answer behaves like it there, and the
//! report says so. Nothing here needs the reference solution: a mistake is a wrong function
//! of its own, and the truth it is graded against stays inside the crate.

use super::{Checker, Failure, Status, Verdict, attempt};

/// Runs one task's cases: the checker, the learner's answers, and the seed the random cases
/// are drawn from. `Ok(())` when every case passed.
pub type Grader<A> = fn(&mut Checker, &A, u64) -> Result<(), Verdict>;

/// One graded task of a chapter.
pub struct Task<A: 'static> {
    /// The task's name: the function the learner writes, and its key in `chapters.toml`.
    pub name: &'static str,
    /// Grades the learner's function for this task (and only it) out of the answers.
    pub grade: Grader<A>,
    /// Plausible mistakes, at least two, that `grade` must reject.
    pub mistakes: &'static [Mistake<A>],
}

/// A plausible mistake: `apply` replaces the task's function in a copy of the answers with a
/// wrong one.
pub struct Mistake<A> {
    /// The mistake, e.g. "forgot the factor 10⁻⁶".
    pub what: &'static str,
    /// What a learner whose answer fails like this one should hear, in one line (e.g. "ppm
    /// means parts per million: 20 ppm is 20·10⁻⁶"). Empty when `what` says it all.
    pub why: &'static str,
    /// Installs the mistake.
    pub apply: fn(&mut A),
}

impl<A> Mistake<A> {
    /// The line a report shows when the learner's answer fails exactly as this mistake does.
    pub fn diagnosis(&self) -> String {
        if self.why.is_empty() {
            format!("“{}” (a known mistake: it gives this same answer here)", self.what)
        } else {
            format!("“{}”: {}", self.what, self.why)
        }
    }
}

impl<A: Clone> Task<A> {
    /// The first listed mistake that, installed into a copy of `answers` and graded on `seed`,
    /// fails on the same case as `failure` with the same value (numbers within a millionth):
    /// the learner's answer behaves like that mistake where it failed.
    pub fn diagnose(&self, answers: &A, seed: u64, failure: &Failure) -> Option<&Mistake<A>> {
        self.mistakes.iter().find(|m| {
            let mut wrong = answers.clone();
            (m.apply)(&mut wrong);
            let mut checker = Checker::default();
            match attempt(|| (self.grade)(&mut checker, &wrong, seed)) {
                Ok(Err(Verdict {
                    status: Status::Fail,
                    failure: Some(f),
                    ..
                })) => same_failure(&f, failure),
                _ => false,
            }
        })
    }
}

/// Two failures on the same input whose `got` reads the same: the same words, and numbers that
/// differ by at most one in the last digit the finer of the two prints when both show six
/// digits or more ("1.23457" and "1.23456", a rounding flip) or by 10⁻¹² relative ("12.0" and "12.000000000000002", the same value
/// computed in another order); "1" and "1.5" differ.
pub fn same_failure(a: &Failure, b: &Failure) -> bool {
    a.input == b.input && same_reading(&a.got, &b.got)
}

/// Splits `s` into its numbers (each with the place value of its last printed digit when it
/// has six significant digits or more, else 0) and the text between them.
fn numbers_and_words(s: &str) -> (Vec<(f64, f64)>, String) {
    let mut numbers = Vec::new();
    let mut words = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, numbers: &mut Vec<(f64, f64)>, words: &mut String| {
        if token.is_empty() {
            return;
        }
        match token.parse::<f64>() {
            Ok(x) => {
                let (mantissa, exp) = token.split_once(['e', 'E']).unwrap_or((token.as_str(), "0"));
                let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
                let significant = mantissa
                    .trim_start_matches(['-', '0', '.'])
                    .chars()
                    .filter(char::is_ascii_digit);
                // Only a number printed to six digits or more can have flipped its last one.
                let unit = if significant.count() >= 6 {
                    10f64.powi(exp.parse::<i32>().unwrap_or(0) - decimals)
                } else {
                    0.0
                };
                numbers.push((x, unit));
                words.push('#');
            }
            Err(_) => words.push_str(token),
        }
        token.clear();
    };
    for ch in s.chars() {
        let numeric = ch.is_ascii_digit()
            || ch == '.'
            || (ch == '-' && token.is_empty())
            || (ch == 'e' && token.chars().any(|c| c.is_ascii_digit()))
            || (ch == '-' && token.ends_with('e'));
        if numeric {
            token.push(ch);
        } else {
            flush(&mut token, &mut numbers, &mut words);
            words.push(ch);
        }
    }
    flush(&mut token, &mut numbers, &mut words);
    (numbers, words)
}

fn same_reading(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (na, wa) = numbers_and_words(a);
    let (nb, wb) = numbers_and_words(b);
    wa == wb
        && na.len() == nb.len()
        && na.iter().zip(&nb).all(|(&(x, ux), &(y, uy))| {
            let gap = (x - y).abs();
            x == y || gap <= 1e-12 * x.abs().max(y.abs()) || gap <= 1.01 * ux.min(uy)
        })
}

impl<A> std::fmt::Debug for Task<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("name", &self.name)
            .field("mistakes", &self.mistakes.iter().map(|m| m.what).collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(input: &str, got: &str) -> Failure {
        Failure {
            input: input.into(),
            expected: "x".into(),
            got: got.into(),
        }
    }

    #[test]
    fn the_same_value_read_twice_matches_and_a_different_one_does_not() {
        let a = failure("x = 2", "1.72801 s");
        assert!(same_failure(&a, &failure("x = 2", "1.72800 s")));
        assert!(same_failure(
            &failure("x", "Slew { rate_ppm: 500.0, duration_s: 12.000000000000002 }"),
            &failure("x", "Slew { rate_ppm: 500.0, duration_s: 12.0 }")
        ));
        assert!(!same_failure(
            &failure("x", "1767226673.74"),
            &failure("x", "1767225600")
        ));
        assert!(!same_failure(
            &failure("x", "1767225600.25"),
            &failure("x", "1767225600")
        ));
        assert!(!same_failure(&a, &failure("x = 2", "1.8 s")));
        assert!(!same_failure(&a, &failure("x = 3", "1.728 s")));
        assert!(!same_failure(&a, &failure("x = 2", "1.728 ms")));
        assert!(same_failure(
            &failure("v", "[1, -2, 0.3]"),
            &failure("v", "[1, -2, 0.30000000000000004]")
        ));
        assert!(!same_failure(&failure("v", "3e-7"), &failure("v", "3.0000001e-7")));
        assert!(!same_failure(&failure("v", "[1, 2]"), &failure("v", "[1, 2, 3]")));
        assert!(!same_failure(&failure("v", "1"), &failure("v", "1.5")));
        assert!(same_failure(&failure("v", "1.23457"), &failure("v", "1.23456")));
        assert!(same_failure(
            &failure("v", "Some((0.5, 1))"),
            &failure("v", "Some((0.5, 1))")
        ));
    }

    #[derive(Clone)]
    struct Answers {
        double: fn(f64) -> f64,
    }

    const DOUBLE: Task<Answers> = Task {
        name: "double",
        grade: |c, a, _| {
            for x in [1.0, 2.0, 3.0] {
                let input = format!("x = {x}");
                let got = c.call(&input, || (a.double)(x))?;
                c.close(&input, got, 2.0 * x, super::super::Tol::abs(1e-9))?;
            }
            Ok(())
        },
        mistakes: &[
            Mistake {
                what: "added instead of multiplied",
                why: "",
                apply: |a| a.double = |x| x + 2.0,
            },
            Mistake {
                what: "squared",
                why: "doubling is 2·x, not x²",
                apply: |a| a.double = |x| x * x,
            },
        ],
    };

    #[test]
    fn a_wrong_answer_is_named_by_the_mistake_it_behaves_like() {
        let mut r = super::super::Report::new(0, "demo", 0);
        let learner = Answers { double: |x| x * x };
        let t = r.task("double", &["h"], |c| (DOUBLE.grade)(c, &learner, 0));
        let f = t.failure.clone().expect("fails");
        let m = DOUBLE.diagnose(&learner, 0, &f).expect("diagnosed");
        assert_eq!(m.what, "squared");
        assert_eq!(m.diagnosis(), "“squared”: doubling is 2·x, not x²");
        // Another wrong answer that no listed mistake explains.
        let other = Answers { double: |x| 4.0 * x };
        let t = r.task("double", &["h"], |c| (DOUBLE.grade)(c, &other, 0));
        let f = t.failure.clone().expect("fails");
        assert!(DOUBLE.diagnose(&other, 0, &f).is_none());
    }
}
