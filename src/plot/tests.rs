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

#[test]
fn log_x_draws_decades_on_both_axes() {
    let fig = Figure::new("Log-log")
        .x_label("latency (ms)")
        .y_label("fraction slower")
        .log_x()
        .log_y()
        .line(
            "tail",
            (0..=40).map(|k| (10f64.powf(f64::from(k) / 10.0), 10f64.powf(-f64::from(k) / 8.0))),
        );
    let svg = fig.to_svg().unwrap();
    let texts = texts(&svg);
    for label in ["1k", "100", "10", "0.01", "10⁻⁴"] {
        assert!(
            texts.iter().any(|t| t == label),
            "no tick labelled {label} in {texts:?}"
        );
    }
}

/// The texts of an SVG, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("</text>")
        .filter_map(|part| part.rsplit_once('>').map(|(_, t)| t.trim().to_string()))
        .collect()
}

/// A grid of points filling the square `x0..x0 + 0.3` × `y0..y0 + 0.3`.
fn block(x0: f64, y0: f64) -> Vec<(f64, f64)> {
    (0..=10)
        .flat_map(|i| (0..=10).map(move |j| (x0 + 0.03 * f64::from(i), y0 + 0.03 * f64::from(j))))
        .collect()
}

#[test]
fn the_legend_avoids_the_corner_the_data_fills() {
    use legend::{Corner, Placement};
    let two = |a: Vec<(f64, f64)>, b: Vec<(f64, f64)>| {
        Figure::new("Corners")
            .x_label("x (s)")
            .y_label("y (s)")
            .x_range(0.0, 1.0)
            .y_range(0.0, 1.0)
            .points("a", a)
            .points("b", b)
    };
    // The upper right is full: the legend goes upper left.
    let fig = two(block(0.7, 0.7), vec![(0.5, 0.5)]);
    assert_eq!(fig.plan().unwrap().legend, Some(Placement::Inside(Corner::UpperLeft)));
    // Both upper corners full: lower right.
    let fig = two(block(0.7, 0.7), block(0.0, 0.7));
    assert_eq!(fig.plan().unwrap().legend, Some(Placement::Inside(Corner::LowerRight)));
    // A line across the top and one across the bottom leave no corner: beside the plot, on a
    // wider canvas, and the plot keeps its size.
    let fig = Figure::new("No free corner")
        .x_label("x (s)")
        .y_label("y (s)")
        .line("top", [(0.0, 1.0), (1.0, 1.0)])
        .line("bottom", [(0.0, 0.0), (1.0, 0.0)]);
    let plan = fig.plan().unwrap();
    assert_eq!(plan.legend, Some(Placement::Outside));
    assert!(plan.size.0 > 900 && plan.size.1 == 540, "{plan:?}");
    assert!(fig.to_svg().unwrap().contains("bottom"));
    // One series: no legend.
    assert_eq!(
        Figure::new("One")
            .line("a", [(0.0, 0.0), (1.0, 1.0)])
            .plan()
            .unwrap()
            .legend,
        None
    );
}

#[test]
fn paired_series_share_a_colour_and_the_next_takes_a_new_one() {
    let fig = Figure::new("Pairs")
        .points("simulated p50", [(0.0, 1.0)])
        .dashed("theory p50", [(0.0, 1.0)])
        .paired()
        .points("simulated p99", [(0.0, 2.0)])
        .dashed("theory p99", [(0.0, 2.0)])
        .paired()
        .line("yours", [(0.0, 3.0)]);
    let colours: Vec<usize> = fig.series_list().iter().map(|s| s.colour).collect();
    assert_eq!(colours, [0, 0, 1, 1, 2]);
    let fig = fig.colour(6);
    assert_eq!(fig.series_list()[4].colour, 6);
}

#[test]
fn a_band_drawn_as_two_lines_is_listed_once_in_the_legend() {
    let fig = Figure::new("Band")
        .line("value", [(0.0, 0.0), (1.0, 0.1)])
        .dashed("±bound", [(0.0, 1.0), (1.0, 1.0)])
        .dashed("±bound", [(0.0, -1.0), (1.0, -1.0)])
        .paired();
    let svg = fig.to_svg().unwrap();
    assert_eq!(
        texts(&svg).iter().filter(|t| t.as_str() == "±bound").count(),
        1,
        "{:?}",
        texts(&svg)
    );
    // A different colour is a different entry, even under the same name.
    let two = Figure::new("Two")
        .line("value", [(0.0, 0.0), (1.0, 0.1)])
        .dashed("±bound", [(0.0, 1.0), (1.0, 1.0)])
        .dashed("±bound", [(0.0, -1.0), (1.0, -1.0)]);
    assert_eq!(
        texts(&two.to_svg().unwrap())
            .iter()
            .filter(|t| t.as_str() == "±bound")
            .count(),
        2
    );
}
