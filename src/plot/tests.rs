//! Every style draws; empty, flat and log-scale figures still draw.

use super::*;

#[test]
fn every_style_draws_to_svg_and_png() {
    let values: Vec<f64> = (0..200).map(|i| ((i * 37) % 101) as f64 / 10.0).collect();
    let fig = Figure::new("All styles")
        .x_label("x (s)")
        .y_label("y (ms)")
        .line("line", [(0.0, 0.0), (1.0, 2.0)])
        .dashed("bound", [(0.0, 1.0), (1.0, 1.0)])
        .points("points", [(0.5, 0.5), (f64::NAN, 1.0)])
        .step("step", [(0.0, 0.0), (0.5, 1.0), (1.0, 1.5)])
        .hline("limit", 1.8);
    let svg = fig.to_svg().unwrap();
    for needle in ["All styles", "x (s)", "y (ms)", "bound", "limit"] {
        assert!(svg.contains(needle), "SVG lacks {needle}");
    }
    let dir = std::env::temp_dir().join(format!("faultline-plot-test-{}", std::process::id()));
    let hist = Figure::new("Histogram")
        .x_label("v (s)")
        .y_label("count")
        .histogram("v", &values, 10);
    let paths = hist.save(&dir, "hist").unwrap();
    let png = std::fs::read(&paths[1]).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let cdf = Figure::new("CDF")
        .x_label("v (s)")
        .y_label("fraction ≤ v")
        .cdf("v", &values);
    assert!(cdf.to_svg().unwrap().contains("CDF"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn empty_and_flat_figures_still_draw() {
    assert!(Figure::new("Empty").to_svg().is_ok());
    assert!(Figure::new("Flat").line("c", [(0.0, 5.0), (1.0, 5.0)]).to_svg().is_ok());
}

#[test]
fn log_y_draws_decades_and_skips_non_positive_values() {
    let fig = Figure::new("Log")
        .x_label("n")
        .y_label("messages")
        .log_y()
        .line("m = 1", [(3.0, 4.0), (5.0, 0.0), (13.0, 1e5)]);
    let svg = fig.to_svg().unwrap();
    assert!(svg.contains("Log") && svg.contains("100"));
}
