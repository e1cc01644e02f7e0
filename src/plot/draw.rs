//! Drawing a [`Figure`]: its ranges, axes with round ticks (linear or log), every series clipped
//! to the plot area, and the legend where it covers no data.
//!
//! A figure is drawn in two passes. [`Figure::plan`] lays the chart out on a throwaway SVG of
//! the same size, maps every series to pixels and picks the legend's place (`legend.rs`); then
//! [`Figure::draw`] draws for real, on a canvas widened for the legend when it has to sit
//! beside the plot.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{self, Entry, Placement, Shape};
use super::{Figure, Series, Style, clip, data_range, ticks};

/// The palette index of a series' colour, as a colour.
pub(crate) fn colour_of(s: &Series) -> RGBColor {
    super::PALETTE[s.colour % super::PALETTE.len()]
}

/// How the figure will be drawn: canvas size and where the legend goes (if any).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// Canvas size in pixels (the figure's size, widened when the legend sits outside).
    pub size: (u32, u32),
    /// The legend's place; `None` with fewer than two series.
    pub legend: Option<Placement>,
}

/// One series as drawn, in drawn units (log10 on a log axis), already clipped to the plot area.
enum Drawn {
    /// Pieces of a (possibly dashed) polyline.
    Lines(Vec<Vec<(f64, f64)>>),
    /// Markers.
    Dots(Vec<(f64, f64)>),
    /// Bars as opposite corners.
    Bars(Vec<[(f64, f64); 2]>),
}

/// The drawn ranges of both axes and their ticks.
struct Axes {
    x: (f64, f64),
    y: (f64, f64),
    x_ticks: ticks::Ticks,
    y_ticks: ticks::Ticks,
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<ticks::Axis, ticks::Axis>>;

/// Where `v` is drawn on an axis: log10(v) on a log axis (NaN, so skipped, for v ≤ 0).
fn along(v: f64, log: bool) -> f64 {
    if !log {
        v
    } else if v > 0.0 {
        v.log10()
    } else {
        f64::NAN
    }
}

impl Figure {
    /// The finite points of `s` in drawn units.
    fn drawn_points(&self, s: &Series) -> Vec<(f64, f64)> {
        s.points
            .iter()
            .map(|p| (along(p.0, self.log_x), along(p.1, self.log_y)))
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect()
    }

    fn axes(&self) -> Axes {
        let pts: Vec<(Style, Vec<(f64, f64)>)> = self.series.iter().map(|s| (s.style, self.drawn_points(s))).collect();
        let xs = pts.iter().flat_map(|(_, p)| p.iter().map(|p| p.0));
        let ys = pts.iter().flat_map(|(style, p)| {
            let bars = matches!(style, Style::Bars { .. });
            p.iter()
                .flat_map(move |p| if bars { vec![p.1, 0.0] } else { vec![p.1] })
        });
        let bar_pad = self
            .series
            .iter()
            .filter_map(|s| match s.style {
                Style::Bars { width } => Some(width / 2.0),
                _ => None,
            })
            .fold(0.0, f64::max);
        let fixed = |r: Option<(f64, f64)>, log: bool| {
            r.map(|(lo, hi)| (along(lo, log), along(hi, log)))
                .filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && lo < hi)
        };
        let x = fixed(self.x_range, self.log_x).unwrap_or_else(|| {
            let (lo, hi) = data_range(xs);
            (lo - bar_pad, hi + bar_pad)
        });
        let y = fixed(self.y_range, self.log_y).unwrap_or_else(|| {
            let (lo, hi) = data_range(ys);
            let pad = (hi - lo) * 0.05;
            (lo - pad, hi + pad)
        });
        let (w, h) = self.size;
        let pick = |(lo, hi): (f64, f64), log: bool, pixels: u32, whole: bool| {
            if log {
                ticks::log(lo, hi)
            } else {
                ticks::linear(lo, hi, (pixels / 90).clamp(4, 12) as usize, whole)
            }
        };
        // Whole-number data (counts, generals, buffer sizes) get whole-number ticks.
        let whole = |coord: fn(&(f64, f64)) -> f64| {
            pts.iter()
                .flat_map(|(_, p)| p.iter().map(coord))
                .all(|v| v.fract() == 0.0)
        };
        Axes {
            x,
            y,
            x_ticks: pick(x, self.log_x, w, whole(|p| p.0)),
            y_ticks: pick(y, self.log_y, h.saturating_mul(3) / 2, whole(|p| p.1)),
        }
    }

    /// Series `s` as it is drawn: clipped to the plot area `axes`.
    fn drawn(&self, s: &Series, axes: &Axes) -> Drawn {
        let pts = self.drawn_points(s);
        let (xs, ys) = (axes.x, axes.y);
        match s.style {
            Style::Line | Style::Dashed => Drawn::Lines(clip::polyline(&pts, xs, ys)),
            Style::Points => Drawn::Dots(pts.into_iter().filter(|&p| clip::inside(p, xs, ys)).collect()),
            Style::Step => {
                let mut stairs = Vec::with_capacity(pts.len() * 2);
                for w in pts.windows(2) {
                    stairs.push(w[0]);
                    stairs.push((w[1].0, w[0].1));
                }
                stairs.extend(pts.last());
                Drawn::Lines(clip::polyline(&stairs, xs, ys))
            }
            Style::Bars { width } => Drawn::Bars(
                pts.into_iter()
                    .filter_map(|(x, y)| clip::rect((x - width * 0.45, 0.0), (x + width * 0.45, y), xs, ys))
                    .collect(),
            ),
        }
    }

    /// Builds the chart (caption, plot area, ranges with their ticks) on `area`.
    fn build<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        axes: &Axes,
    ) -> std::result::Result<Chart<'a, DB>, String> {
        let x = ticks::Axis::new(axes.x.0, axes.x.1, axes.x_ticks.clone());
        let y = ticks::Axis::new(axes.y.0, axes.y.1, axes.y_ticks.clone());
        // A long title (a chapter's note about the learner's code) is set smaller to fit.
        let room = f64::from(area.dim_in_pixel().0.saturating_sub(24));
        let wide = area
            .estimate_text_size(&self.title, &("sans-serif", 22).into())
            .map_or(0.0, |(w, _)| f64::from(w));
        let caption = if wide > room {
            (22.0 * room / wide).max(13.0)
        } else {
            22.0
        };
        ChartBuilder::on(area)
            .caption(&self.title, ("sans-serif", caption))
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(72)
            .build_cartesian_2d(x, y)
            .map_err(|e| e.to_string())
    }

    /// The legend's entries: one per series, except that a series with the name, colour and
    /// style of an earlier one (say the lower edge of a band drawn as two lines) is not listed
    /// again.
    fn entries(&self) -> Vec<Entry> {
        let mut entries: Vec<Entry> = Vec::with_capacity(self.series.len());
        for s in &self.series {
            let e = Entry {
                name: s.name.clone(),
                colour: colour_of(s),
                style: s.style,
            };
            if !entries
                .iter()
                .any(|x| x.name == e.name && x.colour == e.colour && x.style == e.style)
            {
                entries.push(e);
            }
        }
        entries
    }

    /// Lays the figure out (on a throwaway SVG) and decides where the legend goes.
    pub(crate) fn plan(&self) -> std::result::Result<Plan, String> {
        if self.series.len() < 2 {
            return Ok(Plan {
                size: self.size,
                legend: None,
            });
        }
        let mut scratch = String::new();
        let area = SVGBackend::with_string(&mut scratch, self.size).into_drawing_area();
        let axes = self.axes();
        let chart = self.build(&area, &axes)?;
        let px = |p: &(f64, f64)| {
            let c = chart.backend_coord(p);
            (f64::from(c.0), f64::from(c.1))
        };
        let mut shapes = Vec::new();
        for s in &self.series {
            match self.drawn(s, &axes) {
                Drawn::Lines(pieces) => {
                    for piece in pieces {
                        shapes.extend(piece.windows(2).map(|w| Shape::Segment(px(&w[0]), px(&w[1]))));
                    }
                }
                Drawn::Dots(dots) => shapes.extend(dots.iter().map(|p| Shape::Dot(px(p)))),
                Drawn::Bars(bars) => shapes.extend(bars.iter().map(|b| Shape::Rect(px(&b[0]), px(&b[1])))),
            }
        }
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let (bw, bh) = legend::box_size(&area, &self.entries())?;
        let placement = legend::place(&shapes, (xr.start, yr.start, xr.end, yr.end), (bw, bh));
        let size = match placement {
            Placement::Outside => (self.size.0 + bw + 2 * legend::GAP as u32, self.size.1),
            Placement::Inside(_) => self.size,
        };
        Ok(Plan {
            size,
            legend: Some(placement),
        })
    }

    /// Draws the figure on `root` as `plan` says.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
        plan: &Plan,
    ) -> std::result::Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let area = if plan.size.0 > self.size.0 {
            root.split_horizontally(self.size.0).0
        } else {
            root.clone()
        };
        let axes = self.axes();
        let mut chart = self.build(&area, &axes)?;
        let (lx, ly) = (self.log_x, self.log_y);
        let span = (axes.x.1 - axes.x.0, axes.y.1 - axes.y.0);
        let x_tick = move |v: &f64| {
            if lx {
                ticks::log_label(*v)
            } else {
                ticks::label(*v, span.0)
            }
        };
        let y_tick = move |v: &f64| {
            if ly {
                ticks::log_label(*v)
            } else {
                ticks::label(*v, span.1)
            }
        };
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .x_label_formatter(&x_tick)
            .y_label_formatter(&y_tick)
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()
            .map_err(err)?;
        for s in &self.series {
            let colour = colour_of(s);
            let stroke = colour.stroke_width(2);
            match (self.drawn(s, &axes), s.style) {
                (Drawn::Lines(pieces), Style::Dashed) => chart
                    .draw_series(pieces.into_iter().flat_map(|p| DashedLineSeries::new(p, 8, 5, stroke)))
                    .map(|_| ()),
                (Drawn::Lines(pieces), _) => chart
                    .draw_series(pieces.into_iter().map(|p| PathElement::new(p, stroke)))
                    .map(|_| ()),
                (Drawn::Dots(dots), _) => chart
                    .draw_series(dots.into_iter().map(|p| Circle::new(p, 3, colour.filled())))
                    .map(|_| ()),
                (Drawn::Bars(bars), _) => chart
                    .draw_series(bars.into_iter().map(|r| Rectangle::new(r, colour.mix(0.75).filled())))
                    .map(|_| ()),
            }
            .map_err(err)?;
        }
        if let Some(placement) = plan.legend {
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            let entries = self.entries();
            let size = legend::box_size(&root, &entries)?;
            let at = legend::origin(placement, (xr.start, yr.start, xr.end, yr.end), size);
            legend::draw(&root, &entries, at, size)?;
        }
        root.present().map_err(err)?;
        Ok(())
    }
}
