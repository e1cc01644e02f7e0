//! Charts a person can read: a small [`Figure`] API over plotters.
//!
//! Every figure has a title and axis labels with units; a legend appears as soon as there is
//! more than one series, in the corner of the plot area that covers the fewest data (or beside
//! the plot when every corner holds data, see `legend.rs`). Either axis may be logarithmic, with
//! ticks at decades (`ticks.rs`). A simulated quantity and its theory share a colour: add the
//! theory right after the simulation and call [`Figure::paired`] (solid = simulation, dashed =
//! theory). Text is DejaVu Sans compiled into the binary, so nothing depends on
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

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::error::{Error, Result};

mod clip;
mod draw;
mod font;
mod legend;
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
    /// Its colour, an index into the palette (wraps around after eight).
    pub colour: usize,
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
    log_x: bool,
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
            log_x: false,
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

    /// Draws x on a log scale, ticks at decades (values ≤ 0 are left out; a fixed x range is in
    /// data units).
    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }

    /// Draws y on a log scale, ticks at decades (values ≤ 0 are left out; a fixed y range is in
    /// data units).
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    /// Draws the series added last in the colour of the one added before it: a simulated
    /// quantity and its theory (solid or points = simulation, dashed = theory) read as one pair.
    /// The next series takes the first colour no series uses. Does nothing on a figure with one
    /// series.
    pub fn paired(mut self) -> Self {
        let n = self.series.len();
        if n >= 2 {
            self.series[n - 1].colour = self.series[n - 2].colour;
        }
        self
    }

    /// Draws the series added last in palette colour `index` (0–7, wrapping), e.g. to keep one
    /// quantity's colour the same across figures.
    pub fn colour(mut self, index: usize) -> Self {
        if let Some(s) = self.series.last_mut() {
            s.colour = index;
        }
        self
    }

    /// Adds a series drawn in `style`.
    pub fn series(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
        style: Style,
    ) -> Self {
        // The first colour no series uses, so a pair does not use up two.
        let colour = (0..).find(|c| self.series.iter().all(|s| s.colour != *c)).unwrap_or(0);
        self.series.push(Series {
            name: name.into(),
            points: points.into_iter().collect(),
            style,
            colour,
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

    /// Adds the tail of `values` as a staircase: y is the fraction of values strictly greater
    /// than x (the complementary CDF; with [`Figure::log_y`] the rare slow ones stay visible).
    pub fn ccdf(self, name: impl Into<String>, values: &[f64]) -> Self {
        let mut v: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len() as f64;
        let mut points: Vec<(f64, f64)> = Vec::with_capacity(v.len());
        for (i, x) in v.iter().enumerate() {
            let above = (v.len() - i - 1) as f64 / n;
            match points.last_mut() {
                Some(last) if last.0 == *x => last.1 = above,
                _ => points.push((*x, above)),
            }
        }
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

    fn plot_error(&self, message: impl Into<String>) -> Error {
        Error::Plot {
            title: self.title.clone(),
            message: message.into(),
        }
    }

    /// The figure as an SVG document.
    pub fn to_svg(&self) -> Result<String> {
        register_fonts();
        let plan = self.plan().map_err(|m| self.plot_error(m))?;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, plan.size).into_drawing_area();
            self.draw(root, &plan).map_err(|m| self.plot_error(m))?;
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
        let plan = self.plan().map_err(|m| self.plot_error(m))?;
        let root = raster::CrispText(BitMapBackend::new(path, plan.size)).into_drawing_area();
        self.draw(root, &plan).map_err(|m| self.plot_error(m))
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
