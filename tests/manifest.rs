//! `chapters.toml` is the one list of chapters. This test fails when anything that must agree
//! with it does not: `Cargo.toml`'s `exercise-N` / `solution-N` binaries, the grading tests
//! `tests/exercise_NN.rs`, the files in `exercises/`, `solutions/` and `notebooks/`, and the
//! task names the graders report (each chapter's stub is graded and its report compared with
//! the manifest's task list).

use std::collections::BTreeSet;
use std::path::Path;

use faultline::exercises::manifest::{ChapterInfo, manifest};
use faultline::exercises::{Chapter, DEFAULT_SEED};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chapters() -> &'static [ChapterInfo] {
    &manifest().expect("chapters.toml parses").chapters
}

/// The files in `dir` whose names end with `suffix`, as paths relative to the crate root.
fn files(dir: &str, suffix: &str) -> BTreeSet<String> {
    std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(suffix))
        .map(|n| format!("{dir}/{n}"))
        .collect()
}

#[test]
fn chapters_are_numbered_in_order_and_files_follow_the_naming_rule() {
    // Chapters land out of order (10 and 11 before 8 and 9), so the rule is: numbers 1–12,
    // strictly increasing.
    let mut previous = 0;
    for ch in chapters() {
        assert!(
            (1..=12).contains(&ch.number) && ch.number > previous,
            "chapters.toml: chapter {} must be in 1–12 and after chapter {previous}",
            ch.number
        );
        previous = ch.number;
        let nn = format!("{:02}", ch.number);
        assert!(ch.exercise.starts_with(&format!("exercises/{nn}_")), "{}", ch.exercise);
        assert_eq!(
            ch.solution,
            ch.exercise.replacen("exercises/", "solutions/", 1),
            "chapter {}: the solution mirrors the exercise file",
            ch.number
        );
        assert!(ch.notebook.starts_with(&format!("notebooks/{nn}-")), "{}", ch.notebook);
        assert!(ch.notebook.ends_with(".ipynb"), "{}", ch.notebook);
    }
}

#[test]
fn cargo_toml_binaries_match_the_manifest() {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let cargo: toml::Table = toml::from_str(&text).expect("Cargo.toml parses");
    let bins: Vec<(String, String)> = cargo["bin"]
        .as_array()
        .expect("[[bin]] tables")
        .iter()
        .map(|b| {
            (
                b["name"].as_str().expect("bin name").to_string(),
                b["path"].as_str().expect("bin path").to_string(),
            )
        })
        .collect();
    let mut expected = BTreeSet::new();
    for ch in chapters() {
        for (kind, path) in [("exercise", &ch.exercise), ("solution", &ch.solution)] {
            let name = format!("{kind}-{}", ch.number);
            let found = bins.iter().find(|(n, _)| *n == name);
            assert_eq!(
                found.map(|(_, p)| p.as_str()),
                Some(path.as_str()),
                "Cargo.toml: [[bin]] {name} should have path = \"{path}\""
            );
            expected.insert(name);
        }
    }
    for (name, _) in &bins {
        if name.starts_with("exercise-") || name.starts_with("solution-") {
            assert!(
                expected.contains(name),
                "Cargo.toml: [[bin]] {name} has no chapter in chapters.toml"
            );
        }
    }
}

#[test]
fn files_on_disk_match_the_manifest() {
    let listed = |f: fn(&ChapterInfo) -> &String| chapters().iter().map(|c| f(c).clone()).collect::<BTreeSet<_>>();
    assert_eq!(
        files("exercises", ".rs"),
        listed(|c| &c.exercise),
        "exercises/ against chapters.toml"
    );
    assert_eq!(
        files("solutions", ".rs"),
        listed(|c| &c.solution),
        "solutions/ against chapters.toml"
    );
    assert_eq!(
        files("notebooks", ".ipynb"),
        listed(|c| &c.notebook),
        "notebooks/ against chapters.toml"
    );
    let tests: BTreeSet<String> = files("tests", ".rs")
        .into_iter()
        .filter(|f| f.starts_with("tests/exercise_"))
        .collect();
    let wanted: BTreeSet<String> = chapters()
        .iter()
        .map(|c| format!("tests/exercise_{:02}.rs", c.number))
        .collect();
    assert_eq!(tests, wanted, "tests/exercise_NN.rs against chapters.toml");
    for ch in chapters() {
        let file = format!("tests/exercise_{:02}.rs", ch.number);
        let text = std::fs::read_to_string(root().join(&file)).expect("the test file");
        for needle in [
            format!("\"../{}\"", ch.exercise),
            format!("\"../{}\"", ch.solution),
            format!("faultline::exercises::{}::grade(", ch.slug),
            format!("fn exercise_{:02}()", ch.number),
        ] {
            assert!(text.contains(&needle), "{file} does not mention {needle}");
        }
    }
}

/// Grades chapter `C`'s shipped stub and checks its report against the manifest entry.
fn graders_match<C: Chapter>(stub: C::Answers, covered: &mut BTreeSet<u8>) {
    let info = C::info();
    covered.insert(C::NUMBER);
    let module = std::any::type_name::<C>();
    assert!(
        module.contains(&format!("::exercises::{}::", info.slug)),
        "chapter {}: slug `{}` is not the module of {module}",
        C::NUMBER,
        info.slug
    );
    let report = C::grade(&stub, DEFAULT_SEED);
    assert_eq!(report.exercise, C::NUMBER);
    assert_eq!(report.title, info.title);
    let graded: Vec<&str> = report.tasks.iter().map(|t| t.name.as_str()).collect();
    let listed: Vec<&str> = info.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        graded,
        listed,
        "chapter {}: the graders' tasks against chapters.toml",
        C::NUMBER
    );
    for (t, entry) in report.tasks.iter().zip(&info.tasks) {
        assert_eq!(t.hints, entry.hints, "chapter {}: hints of `{}`", C::NUMBER, t.name);
    }
}

macro_rules! stubs {
    ($($module:ident: $file:literal),* $(,)?) => {
        $(
            #[path = $file]
            #[allow(dead_code)]
            mod $module;
        )*
    };
}

stubs! {
    stub01: "../exercises/01_partial_failure.rs",
    stub02: "../exercises/02_network_faults.rs",
    stub03: "../exercises/03_queueing.rs",
    stub04: "../exercises/04_failure_detection.rs",
    stub05: "../exercises/05_clock_drift.rs",
    stub06: "../exercises/06_ntp.rs",
    stub07: "../exercises/07_timestamps.rs",
    stub08: "../exercises/08_leases.rs",
    stub09: "../exercises/09_elections.rs",
    stub10: "../exercises/10_byzantine.rs",
    stub11: "../exercises/11_logical_clocks.rs",
    stub12: "../exercises/12_system_models.rs",
}

#[test]
fn graders_report_the_manifest_tasks() {
    use faultline::exercises::*;
    let mut covered = BTreeSet::new();
    graders_match::<partial_failure::PartialFailure>(stub01::answers(), &mut covered);
    graders_match::<network_faults::NetworkFaults>(stub02::answers(), &mut covered);
    graders_match::<queueing::Queueing>(stub03::answers(), &mut covered);
    graders_match::<failure_detection::FailureDetection>(stub04::answers(), &mut covered);
    graders_match::<clock_drift::ClockDrift>(stub05::answers(), &mut covered);
    graders_match::<ntp::Ntp>(stub06::answers(), &mut covered);
    graders_match::<timestamps::Timestamps>(stub07::answers(), &mut covered);
    graders_match::<leases::Leases>(stub08::answers(), &mut covered);
    graders_match::<elections::Elections>(stub09::answers(), &mut covered);
    graders_match::<byzantine::Byzantine>(stub10::answers(), &mut covered);
    graders_match::<logical_clocks::LogicalClocks>(stub11::answers(), &mut covered);
    graders_match::<system_models::SystemModels>(stub12::answers(), &mut covered);
    let all: BTreeSet<u8> = chapters().iter().map(|c| c.number).collect();
    assert_eq!(
        covered, all,
        "tests/manifest.rs must grade every chapter in chapters.toml"
    );
}

/// The evcxr build cache restores dependency-info files that point into the build folder of the
/// kernel that first compiled them; once that folder is gone, every kernel and every cell
/// compiles serde and the crate again (see notebooks/evcxr.toml). So the notebooks' settings turn
/// it off at kernel start, and no notebook turns it back on.
#[test]
fn the_build_cache_stays_off_in_every_notebook() {
    let toml = std::fs::read_to_string(root().join("notebooks/evcxr.toml")).expect("notebooks/evcxr.toml");
    assert!(
        toml.lines().any(|l| l.trim() == r#"prelude = ":cache 0""#),
        "notebooks/evcxr.toml must set `prelude = \":cache 0\"`"
    );
    for ch in chapters() {
        let path = root().join(&ch.notebook);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", ch.notebook));
        let nb: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", ch.notebook));
        let code: Vec<String> = nb["cells"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no cells", ch.notebook))
            .iter()
            .filter(|c| c["cell_type"] == "code")
            .map(|c| match &c["source"] {
                serde_json::Value::Array(lines) => lines.iter().filter_map(|l| l.as_str()).collect(),
                other => other.as_str().unwrap_or_default().to_string(),
            })
            .collect();
        assert!(
            code.first()
                .is_some_and(|s| s.trim_start().starts_with(":dep faultline")),
            "{}: the first code cell must be the `:dep faultline = {{ path = \"..\" }}` cell",
            ch.notebook
        );
        for (n, cell) in code.iter().enumerate() {
            let on = cell
                .lines()
                .filter_map(|l| l.trim().strip_prefix(":cache"))
                .any(|size| size.trim() != "0");
            assert!(
                !on,
                "{}: code cell {n} turns evcxr's build cache on (see notebooks/evcxr.toml)",
                ch.notebook
            );
        }
    }
}
