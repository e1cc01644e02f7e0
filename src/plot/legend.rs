//! The legend, where it hides nothing: of the plot area's four corners, the one whose box
//! covers the fewest drawn segments, markers and bars; beside the plot (to its right, on a
//! wider canvas) when every corner covers some. Each entry shows its series as drawn: a solid
//! or dashed line, a marker or a bar.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Style;

/// Pixels between the legend box and the plot area's edge.
pub(crate) const GAP: i32 = 10;
const FONT: u32 = 14;
const PAD: i32 = 8;
const SAMPLE: i32 = 26;
const ROW: i32 = 20;

/// A corner of the plot area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Corner {
    /// Top right.
    UpperRight,
    /// Top left.
    UpperLeft,
    /// Bottom right.
    LowerRight,
    /// Bottom left.
    LowerLeft,
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// In a corner of the plot area that covers no data.
    Inside(Corner),
    /// To the right of the plot area, outside it.
    Outside,
}

/// Something drawn, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Shape {
    /// A line segment.
    Segment((f64, f64), (f64, f64)),
    /// A marker's centre.
    Dot((f64, f64)),
    /// A bar's opposite corners.
    Rect((f64, f64), (f64, f64)),
}

/// One legend line.
pub(crate) struct Entry {
    /// The series' name.
    pub name: String,
    /// Its colour.
    pub colour: RGBColor,
    /// How it is drawn.
    pub style: Style,
}

/// The legend box's width and height in pixels for `entries`, text measured on `area`.
pub(crate) fn box_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
) -> std::result::Result<(u32, u32), String> {
    let font = TextStyle::from(("sans-serif", FONT).into_font());
    let mut widest = 0;
    for e in entries {
        let (w, _) = area.estimate_text_size(&e.name, &font).map_err(|e| e.to_string())?;
        widest = widest.max(w);
    }
    let rows = entries.len() as u32;
    Ok((widest + (3 * PAD + SAMPLE) as u32, rows * ROW as u32 + PAD as u32))
}

/// How many of `shapes` a box `(left, top, right, bottom)` covers (markers count with their
/// radius, lines with their width).
fn covered(shapes: &[Shape], b: (f64, f64, f64, f64)) -> usize {
    let grow = 4.0;
    let (x, y) = ((b.0 - grow, b.2 + grow), (b.1 - grow, b.3 + grow));
    shapes
        .iter()
        .filter(|s| match **s {
            Shape::Segment(a, c) => super::clip::polyline(&[a, c], x, y).len() == 1,
            Shape::Dot(p) => super::clip::inside(p, x, y),
            Shape::Rect(a, c) => super::clip::rect(a, c, x, y).is_some(),
        })
        .count()
}

/// The top-left pixel of a legend box of `size` placed at `placement` beside or inside the plot
/// area `(left, top, right, bottom)`.
pub(crate) fn origin(placement: Placement, area: (i32, i32, i32, i32), size: (u32, u32)) -> (i32, i32) {
    let (w, h) = (size.0 as i32, size.1 as i32);
    let (left, top, right, bottom) = area;
    match placement {
        Placement::Inside(Corner::UpperRight) => (right - GAP - w, top + GAP),
        Placement::Inside(Corner::UpperLeft) => (left + GAP, top + GAP),
        Placement::Inside(Corner::LowerRight) => (right - GAP - w, bottom - GAP - h),
        Placement::Inside(Corner::LowerLeft) => (left + GAP, bottom - GAP - h),
        Placement::Outside => (right + 2 * GAP, top),
    }
}

/// The corner (upper right, upper left, lower right, lower left, first best) whose box covers
/// none of `shapes`, else outside.
pub(crate) fn place(shapes: &[Shape], area: (i32, i32, i32, i32), size: (u32, u32)) -> Placement {
    let fits = size.0 as i32 + 2 * GAP <= area.2 - area.0 && size.1 as i32 + 2 * GAP <= area.3 - area.1;
    if !fits {
        return Placement::Outside;
    }
    [
        Corner::UpperRight,
        Corner::UpperLeft,
        Corner::LowerRight,
        Corner::LowerLeft,
    ]
    .into_iter()
    .map(Placement::Inside)
    .find(|&p| {
        let (x, y) = origin(p, area, size);
        let b = (x, y, x + size.0 as i32, y + size.1 as i32);
        covered(shapes, (f64::from(b.0), f64::from(b.1), f64::from(b.2), f64::from(b.3))) == 0
    })
    .unwrap_or(Placement::Outside)
}

/// Draws the legend box with its top-left pixel at `at` on `root`.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    at: (i32, i32),
    size: (u32, u32),
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (x, y) = at;
    let corner = (x + size.0 as i32, y + size.1 as i32);
    root.draw(&Rectangle::new([at, corner], WHITE.mix(0.9).filled()))
        .map_err(err)?;
    root.draw(&Rectangle::new([at, corner], BLACK.mix(0.4).stroke_width(1)))
        .map_err(err)?;
    let font = ("sans-serif", FONT)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (i, e) in entries.iter().enumerate() {
        let cy = y + PAD / 2 + ROW * i as i32 + ROW / 2;
        let sx = x + PAD;
        let stroke = e.colour.stroke_width(3);
        match e.style {
            Style::Line | Style::Step => root
                .draw(&PathElement::new([(sx, cy), (sx + SAMPLE, cy)], stroke))
                .map_err(err)?,
            Style::Dashed => {
                for k in 0..3 {
                    let a = sx + k * 10;
                    root.draw(&PathElement::new([(a, cy), (a + 6, cy)], stroke))
                        .map_err(err)?;
                }
            }
            Style::Points => root
                .draw(&Circle::new((sx + SAMPLE / 2, cy), 4, e.colour.filled()))
                .map_err(err)?,
            Style::Bars { .. } => root
                .draw(&Rectangle::new(
                    [(sx + 4, cy - 6), (sx + SAMPLE - 4, cy + 6)],
                    e.colour.mix(0.75).filled(),
                ))
                .map_err(err)?,
        }
        root.draw(&Text::new(e.name.clone(), (sx + SAMPLE + PAD, cy), font.clone()))
            .map_err(err)?;
    }
    Ok(())
}
