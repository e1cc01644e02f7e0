//! Charts a person can read: a small [`Figure`] API over plotters.
//!
//! Every figure has a title and axis labels with units; a legend appears as soon as there is
//! more than one series. Text is DejaVu Sans compiled into the binary, so nothing depends on
//! system fonts or fontconfig: plotters' `ab_glyph` backend measures it, PNGs draw it glyph by
//! glyph (`raster.rs`), SVGs embed it (`font.rs`), so both show the same letters. The same figure
//! saves as SVG and PNG from a binary ([`Figure::save`]) and shows inline in a notebook
//! ([`Figure::evcxr_display`]).
//!
//! ```
//! use faultline::plot::Figure;
//! let fig = Figure::new("Offset of a 20 ppm clock")
//!     .x_label("true time (h)")
//!     .y_label("offset (ms)")
//!     .line("20 ppm", (0..=24).map(|h| (h as f64, 20e-6 * 3600.0 * h as f64 * 1e3)));
//! let svg = fig.to_svg().unwrap();
//! assert!(svg.contains("<svg") && svg.contains("Offset of a 20 ppm clock"));
//! ```

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::error::{Error, Result};

mod clip;
mod font;
mod raster;
mod ticks;

pub mod spacetime;
pub use spacetime::SpaceTime;

/// Colour-blind-safe palette (Okabe & Ito, 2008).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Style {
    /// Points joined by straight lines.
    Line,
    /// Points joined by a dashed line (bounds, theory curves).
    Dashed,
    /// Separate markers.
    Points,
    /// A staircase: each value holds until the next x (CDFs, clocks that step).
    Step,
    /// Bars from 0 up to y, centred on x, `width` wide in x units (histograms).
    Bars {
        /// Bar width in x units.
        width: f64,
    },
}

/// One named series of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend entry.
    pub name: String,
    /// The data; non-finite points are skipped when drawing.
    pub points: Vec<(f64, f64)>,
    /// How to draw it.
    pub style: Style,
}

/// A chart: title, axis labels with units, and one or more series.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    title: String,
    x_label: String,
    y_label: String,
    series: Vec<Series>,
    size: (u32, u32),
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
    log_y: bool,
}

static FONTS: Once = Once::new();

/// Registers the embedded font under the family name plotters asks for. Called inside every
/// drawing call (behind a `Once`) rather than at start-up, because a notebook has no start-up.
pub(crate) fn register_fonts() {
    FONTS.call_once(|| {
        for (style, bytes) in [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
            (FontStyle::Italic, dejavu::sans::oblique()),
            (FontStyle::Oblique, dejavu::sans::oblique()),
        ] {
            // DejaVu is a valid TrueType font; registration cannot fail for it.
            let _ = plotters::style::register_font("sans-serif", style, bytes);
        }
    });
}

impl Figure {
    /// An empty figure with a title, 900×540 pixels.
    pub fn new(title: impl Into<String>) -> Self {
        Figure {
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            series: Vec::new(),
            size: (900, 540),
            x_range: None,
            y_range: None,
            log_y: false,
        }
    }

    /// The x axis label, with its unit: `"true time (h)"`.
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }

    /// The y axis label, with its unit: `"offset (ms)"`.
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// Size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width.max(200), height.max(150));
        self
    }

    /// Fixes the x range instead of fitting it to the data.
    pub fn x_range(mut self, lo: f64, hi: f64) -> Self {
        self.x_range = Some((lo, hi));
        self
    }

    /// Fixes the y range instead of fitting it to the data.
    pub fn y_range(mut self, lo: f64, hi: f64) -> Self {
        self.y_range = Some((lo, hi));
        self
    }

    /// Draws y on a log scale (values ≤ 0 are left out; a fixed y range is in data units).
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    /// Adds a series drawn in `style`.
    pub fn series(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
        style: Style,
    ) -> Self {
        self.series.push(Series {
            name: name.into(),
            points: points.into_iter().collect(),
            style,
        });
        self
    }

    /// Adds a line.
    pub fn line(self, name: impl Into<String>, points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        self.series(name, points, Style::Line)
    }

    /// Adds a dashed line (a bound or a theoretical curve).
    pub fn dashed(self, name: impl Into<String>, points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        self.series(name, points, Style::Dashed)
    }

    /// Adds markers.
    pub fn points(self, name: impl Into<String>, points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        self.series(name, points, Style::Points)
    }

    /// Adds a staircase.
    pub fn step(self, name: impl Into<String>, points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        self.series(name, points, Style::Step)
    }

    /// Adds a horizontal dashed line at `y` across the data's x range.
    pub fn hline(self, name: impl Into<String>, y: f64) -> Self {
        let (lo, hi) = self
            .x_range
            .unwrap_or_else(|| data_range(self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0))));
        self.dashed(name, [(lo, y), (hi, y)])
    }

    /// Adds a histogram of `values` with `bins` equal-width bins; y is the count per bin.
    pub fn histogram(self, name: impl Into<String>, values: &[f64], bins: usize) -> Self {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let bins = bins.max(1);
        let (lo, hi) = data_range(finite.iter().copied());
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0.0; bins];
        for v in &finite {
            let i = (((v - lo) / width) as usize).min(bins - 1);
            counts[i] += 1.0;
        }
        let points = counts
            .iter()
            .enumerate()
            .map(|(i, c)| (lo + (i as f64 + 0.5) * width, *c));
        self.series(name, points, Style::Bars { width })
    }

    /// Adds the empirical CDF of `values` as a staircase: y is the fraction ≤ x.
    pub fn cdf(self, name: impl Into<String>, values: &[f64]) -> Self {
        let mut v: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len() as f64;
        let points: Vec<(f64, f64)> = v.iter().enumerate().map(|(i, x)| (*x, (i + 1) as f64 / n)).collect();
        self.step(name, points)
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The series added so far.
    pub fn series_list(&self) -> &[Series] {
        &self.series
    }

    /// Where y is drawn: log10(y) on a log axis (NaN, so skipped, for y ≤ 0).
    fn ty(&self, y: f64) -> f64 {
        if !self.log_y {
            y
        } else if y > 0.0 {
            y.log10()
        } else {
            f64::NAN
        }
    }

    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let xs = self.series.iter().flat_map(|s| {
            s.points
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|p| p.0)
        });
        let ys = self.series.iter().flat_map(|s| {
            let bars = matches!(s.style, Style::Bars { .. });
            s.points
                .iter()
                .map(|p| (p.0, self.ty(p.1)))
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .flat_map(move |p| if bars { vec![p.1, 0.0] } else { vec![p.1] })
        });
        let mut x = self.x_range.unwrap_or_else(|| data_range(xs));
        let bar_pad = self
            .series
            .iter()
            .filter_map(|s| {
                if let Style::Bars { width } = s.style {
                    Some(width / 2.0)
                } else {
                    None
                }
            })
            .fold(0.0, f64::max);
        if self.x_range.is_none() {
            x = (x.0 - bar_pad, x.1 + bar_pad);
        }
        let y = self
            .y_range
            .map(|(lo, hi)| (self.ty(lo), self.ty(hi)))
            .unwrap_or_else(|| {
                let (lo, hi) = data_range(ys);
                let pad = (hi - lo) * 0.05;
                (lo - pad, hi + pad)
            });
        (x, y)
    }

    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let ((x0, x1), (y0, y1)) = self.ranges();
        let mut chart = ChartBuilder::on(&root)
            .caption(&self.title, ("sans-serif", 22))
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(72)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        let pow10 = |v: &f64| {
            let (y, unit) = (10f64.powf(*v), 10f64.powf(v.floor() - 1.0));
            ticks::label((y / unit).round() * unit, y) // two significant digits, 3.2k
        };
        let (x_tick, y_tick) = (|v: &f64| ticks::label(*v, x1 - x0), |v: &f64| ticks::label(*v, y1 - y0));
        let mut mesh = chart.configure_mesh();
        if self.log_y {
            mesh.y_label_formatter(&pow10);
        } else {
            mesh.y_label_formatter(&y_tick);
        }
        mesh.x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .x_label_formatter(&x_tick)
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()
            .map_err(err)?;
        for (i, s) in self.series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .map(|p| (p.0, self.ty(p.1)))
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect();
            let stroke = colour.stroke_width(2);
            // Every series stays inside the plot area (see clip.rs).
            let (xs, ys) = ((x0, x1), (y0, y1));
            let anno = match s.style {
                Style::Line => chart
                    .draw_series(
                        clip::polyline(&pts, xs, ys)
                            .into_iter()
                            .map(|p| PathElement::new(p, stroke)),
                    )
                    .map_err(err)?,
                Style::Dashed => chart
                    .draw_series(
                        clip::polyline(&pts, xs, ys)
                            .into_iter()
                            .flat_map(|p| DashedLineSeries::new(p, 8, 5, stroke)),
                    )
                    .map_err(err)?,
                Style::Points => chart
                    .draw_series(
                        pts.into_iter()
                            .filter(|&p| clip::inside(p, xs, ys))
                            .map(|p| Circle::new(p, 3, colour.filled())),
                    )
                    .map_err(err)?,
                Style::Step => {
                    let mut stairs = Vec::with_capacity(pts.len() * 2);
                    for w in pts.windows(2) {
                        stairs.push(w[0]);
                        stairs.push((w[1].0, w[0].1));
                    }
                    stairs.extend(pts.last());
                    chart
                        .draw_series(
                            clip::polyline(&stairs, xs, ys)
                                .into_iter()
                                .map(|p| PathElement::new(p, stroke)),
                        )
                        .map_err(err)?
                }
                Style::Bars { width } => chart
                    .draw_series(pts.into_iter().filter_map(|(x, y)| {
                        clip::rect((x - width * 0.45, 0.0), (x + width * 0.45, y), xs, ys)
                            .map(|r| Rectangle::new(r, colour.mix(0.75).filled()))
                    }))
                    .map_err(err)?,
            };
            anno.label(s.name.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(3)));
        }
        if self.series.len() > 1 {
            chart
                .configure_series_labels()
                .label_font(("sans-serif", 14))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()
                .map_err(err)?;
        }
        root.present().map_err(err)?;
        Ok(())
    }

    fn plot_error(&self, message: impl Into<String>) -> Error {
        Error::Plot {
            title: self.title.clone(),
            message: message.into(),
        }
    }

    /// The figure as an SVG document.
    pub fn to_svg(&self) -> Result<String> {
        register_fonts();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            self.draw(root).map_err(|m| self.plot_error(m))?;
        }
        Ok(font::embed(&svg))
    }

    /// Writes the figure as SVG to `path`.
    pub fn save_svg(&self, path: &Path) -> Result<()> {
        let svg = self.to_svg()?;
        std::fs::write(path, svg).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Writes the figure as PNG to `path`.
    pub fn save_png(&self, path: &Path) -> Result<()> {
        register_fonts();
        let root = raster::CrispText(BitMapBackend::new(path, self.size)).into_drawing_area();
        self.draw(root).map_err(|m| self.plot_error(m))
    }

    /// Writes `<dir>/<stem>.svg` and `<dir>/<stem>.png`, creating `dir`, and returns both paths.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let svg = dir.join(format!("{stem}.svg"));
        let png = dir.join(format!("{stem}.png"));
        self.save_svg(&svg)?;
        self.save_png(&png)?;
        Ok(vec![svg, png])
    }

    /// Shows the figure inline in a Jupyter cell (evcxr calls this for a cell's last value).
    /// A drawing error is shown as text rather than panicking the kernel.
    pub fn evcxr_display(&self) {
        match self.to_svg() {
            Ok(svg) => println!("EVCXR_BEGIN_CONTENT image/svg+xml\n{svg}\nEVCXR_END_CONTENT"),
            Err(e) => println!("could not draw the figure: {e}"),
        }
    }
}

/// The min and max of finite values, widened when empty or flat so a chart always has area.
fn data_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        (0.0, 1.0)
    } else if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    } else {
        (lo, hi)
    }
}

#[cfg(test)]
mod tests;
