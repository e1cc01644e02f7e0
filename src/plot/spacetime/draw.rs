//! Drawing a [`SpaceTime`] in pixel space: lanes, shading, arrows, labels, the time axis and a
//! legend of the marks. Lane names sit in a left margin of their own, so no arrow crosses them.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{End, ShadeKind, SpaceTime};

const TOP: i32 = 78;
const LANE: i32 = 84;
const RIGHT: i32 = 36;
const BELOW: i32 = 86;

const ARROW: RGBColor = RGBColor(0, 114, 178);
const DROP: RGBColor = RGBColor(213, 94, 0);
const PAUSE: RGBColor = RGBColor(86, 180, 233);
const CRASH: RGBColor = RGBColor(110, 110, 110);
const PARTITION: RGBColor = RGBColor(230, 159, 0);
const LANE_LINE: RGBColor = RGBColor(60, 60, 60);
const LABEL: RGBColor = RGBColor(20, 20, 20);
const MSG_LABEL: RGBColor = RGBColor(0, 80, 130);

/// Height in pixels of a diagram with `lanes` lanes.
pub(super) fn height(lanes: usize) -> u32 {
    (TOP + LANE * lanes.max(1) as i32 + BELOW - LANE / 2) as u32
}

/// Pixel mapping of one diagram.
struct Frame {
    left: i32,
    right: i32,
    end_s: f64,
}

impl Frame {
    fn x(&self, t_s: f64) -> i32 {
        let f = (t_s / self.end_s).clamp(0.0, 1.0);
        self.left + (f * f64::from(self.right - self.left)).round() as i32
    }
    fn y(&self, lane: usize) -> i32 {
        TOP + LANE * lane as i32
    }
}

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&LABEL)
}

/// A 1-2-5 step giving about `ticks` ticks over `span`.
fn nice_step(span: f64, ticks: f64) -> f64 {
    let raw = (span / ticks).max(1e-12);
    let mag = 10f64.powf(raw.log10().floor());
    let m = raw / mag;
    let k = if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    };
    k * mag
}

fn arrow_head(tip: (i32, i32), from: (i32, i32), len: f64, half: f64) -> Vec<(i32, i32)> {
    let (dx, dy) = (f64::from(tip.0 - from.0), f64::from(tip.1 - from.1));
    let norm = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / norm, dy / norm);
    let base = (f64::from(tip.0) - ux * len, f64::from(tip.1) - uy * len);
    vec![
        tip,
        ((base.0 - uy * half).round() as i32, (base.1 + ux * half).round() as i32),
        ((base.0 + uy * half).round() as i32, (base.1 - ux * half).round() as i32),
    ]
}

type Res = std::result::Result<(), String>;

pub(super) fn draw<DB: DrawingBackend>(st: &SpaceTime, backend: DB) -> Res {
    let root = backend.into_drawing_area();
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
    let name_font = ("sans-serif", 15).into_font().color(&LABEL);
    let name_w = st
        .names
        .iter()
        .map(|n| root.estimate_text_size(n, &name_font).map(|s| s.0 as i32).unwrap_or(80))
        .max()
        .unwrap_or(60);
    let f = Frame {
        left: name_w + 34,
        right: w as i32 - RIGHT,
        end_s: st.end_s,
    };
    let lanes = st.names.len();
    let last_y = f.y(lanes.saturating_sub(1));
    let top_band = TOP - 34;
    let bottom_band = last_y + 34;

    root.draw(&Text::new(
        st.title.clone(),
        (w as i32 / 2, 14),
        ("sans-serif", 21)
            .into_font()
            .color(&LABEL)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(err)?;

    // Partitions: a band over every lane while in force, its groups written on top.
    for b in &st.bands {
        let (x0, x1) = (f.x(b.from_s), f.x(b.to_s.min(st.end_s)));
        if x1 <= x0 {
            continue;
        }
        root.draw(&Rectangle::new(
            [(x0, top_band), (x1, bottom_band)],
            PARTITION.mix(0.16).filled(),
        ))
        .map_err(err)?;
        let mut listed: Vec<usize> = b.groups.iter().flatten().copied().collect();
        let mut groups: Vec<String> = b.groups.iter().map(|g| group_names(st, g)).collect();
        listed.sort_unstable();
        let rest: Vec<usize> = (0..lanes).filter(|i| listed.binary_search(i).is_err()).collect();
        if !rest.is_empty() {
            groups.push(group_names(st, &rest));
        }
        let caption = format!("partition: {}", groups.join(" | "));
        root.draw(&Text::new(
            caption,
            (x0 + 4, top_band + 2),
            font(12)
                .color(&RGBColor(140, 90, 0))
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(err)?;
    }

    // Pauses and crashes shade a node's lane.
    for s in &st.shades {
        if s.node >= lanes {
            continue;
        }
        let (x0, x1) = (f.x(s.from_s), f.x(s.to_s.min(st.end_s)));
        let y = f.y(s.node);
        let colour = match s.kind {
            ShadeKind::Pause => PAUSE.mix(0.35),
            ShadeKind::Crash => CRASH.mix(0.3),
        };
        root.draw(&Rectangle::new(
            [(x0, y - 11), (x1.max(x0 + 2), y + 11)],
            colour.filled(),
        ))
        .map_err(err)?;
    }

    // Lanes and their names.
    for (i, name) in st.names.iter().enumerate() {
        let y = f.y(i);
        root.draw(&PathElement::new(
            [(f.left, y), (f.right, y)],
            LANE_LINE.stroke_width(2),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            name.clone(),
            (f.left - 16, y),
            name_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(err)?;
    }

    // A typical delay, for drawing lost and in-flight messages a believable length.
    let mut delays: Vec<f64> = st
        .arrows
        .iter()
        .filter_map(|a| match a.end {
            End::Delivered(t) => Some(t - a.sent_s),
            _ => None,
        })
        .collect();
    delays.sort_by(f64::total_cmp);
    let typical = delays
        .get(delays.len() / 2)
        .copied()
        .unwrap_or(st.end_s * 0.03)
        .max(st.end_s * 0.01);

    let mut mids = Vec::new();
    for a in &st.arrows {
        if a.from >= lanes || a.to >= lanes || a.sent_s > st.end_s {
            continue;
        }
        let p0 = (f.x(a.sent_s), f.y(a.from));
        let y1 = f.y(a.to);
        match a.end {
            End::Delivered(t) => {
                let p1 = (f.x(t), y1);
                root.draw(&PathElement::new([p0, p1], ARROW.stroke_width(2)))
                    .map_err(err)?;
                root.draw(&Polygon::new(arrow_head(p1, p0, 11.0, 4.5), ARROW.filled()))
                    .map_err(err)?;
                root.draw(&Circle::new(p0, 3, ARROW.filled())).map_err(err)?;
                mids.push(((p0.0 + p1.0) / 2, (p0.1 + p1.1) / 2, a));
            }
            End::Dropped(_) | End::InFlight => {
                let frac = if a.end == End::InFlight {
                    ((st.end_s - a.sent_s) / typical).clamp(0.1, 0.9)
                } else {
                    0.45
                };
                let p1 = (
                    f.x(a.sent_s + typical * frac),
                    p0.1 + (f64::from(y1 - p0.1) * frac).round() as i32,
                );
                let colour = if a.end == End::InFlight { CRASH } else { DROP };
                root.draw(&PathElement::new([p0, p1], colour.stroke_width(2)))
                    .map_err(err)?;
                root.draw(&Circle::new(p0, 3, colour.filled())).map_err(err)?;
                if a.end == End::InFlight {
                    root.draw(&Polygon::new(arrow_head(p1, p0, 9.0, 4.0), colour.filled()))
                        .map_err(err)?;
                } else {
                    root.draw(&Cross::new(p1, 6, DROP.stroke_width(3))).map_err(err)?;
                }
                mids.push(((p0.0 + p1.0) / 2, (p0.1 + p1.1) / 2, a));
            }
        }
    }

    // Message labels, in the middle of their arrows, on a white ground.
    let small = font(11).color(&MSG_LABEL);
    for (x, y, a) in mids {
        if let Some(text) = &a.label {
            let (tw, th) = root.estimate_text_size(text, &small).map_err(err)?;
            let (tw, th) = (tw as i32, th as i32);
            let (x0, y0) = (x + 4, y - th / 2);
            root.draw(&Rectangle::new(
                [(x0 - 2, y0 - 1), (x0 + tw + 2, y0 + th + 1)],
                WHITE.mix(0.85).filled(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(text.clone(), (x0, y0), small.clone()))
                .map_err(err)?;
        }
    }

    // Point labels: a dot on the lane, the text in the first of four rows (above, below, further
    // above, further below) where it does not run into the previous label of that lane.
    let label_font = font(12);
    let mut order: Vec<usize> = (0..st.labels.len()).collect();
    order.sort_by(|&i, &j| st.labels[i].at_s.total_cmp(&st.labels[j].at_s));
    let rows = [-19, 5, -33, 19];
    let mut row_end: Vec<[i32; 4]> = vec![[i32::MIN; 4]; lanes];
    for i in order {
        let l = &st.labels[i];
        if l.node >= lanes || l.at_s > st.end_s {
            continue;
        }
        let (x, y) = (f.x(l.at_s), f.y(l.node));
        root.draw(&Circle::new((x, y), 4, BLACK.filled())).map_err(err)?;
        let (tw, th) = root.estimate_text_size(&l.text, &label_font).map_err(err)?;
        let (tw, th) = (tw as i32, th as i32);
        let x0 = (x + 3).min(f.right + RIGHT - 2 - tw);
        let ends = &mut row_end[l.node];
        let row = (0..4)
            .find(|&r| ends[r] < x0)
            .unwrap_or_else(|| (0..4).min_by_key(|&r| ends[r]).unwrap_or(0));
        ends[row] = x0 + tw + 4;
        let y0 = y + rows[row];
        root.draw(&Rectangle::new(
            [(x0 - 1, y0), (x0 + tw + 1, y0 + th)],
            WHITE.mix(0.8).filled(),
        ))
        .map_err(err)?;
        root.draw(&Text::new(l.text.clone(), (x0, y0), label_font.clone()))
            .map_err(err)?;
    }

    // The time axis.
    let axis_y = bottom_band + 12;
    root.draw(&PathElement::new(
        [(f.left, axis_y), (f.right, axis_y)],
        BLACK.stroke_width(1),
    ))
    .map_err(err)?;
    let step = nice_step(st.end_s, 8.0);
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let tick_font = font(13).pos(Pos::new(HPos::Center, VPos::Top));
    let mut k = 0.0;
    while k * step <= st.end_s * (1.0 + 1e-9) {
        let x = f.x(k * step);
        root.draw(&PathElement::new([(x, axis_y), (x, axis_y + 5)], BLACK.stroke_width(1)))
            .map_err(err)?;
        root.draw(&Text::new(
            format!("{:.*}", decimals, k * step),
            (x, axis_y + 8),
            tick_font.clone(),
        ))
        .map_err(err)?;
        k += 1.0;
    }
    root.draw(&Text::new(
        st.time_label.as_str(),
        ((f.left + f.right) / 2, axis_y + 28),
        font(15).pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(err)?;

    let shown = Shown {
        lost: st.arrows.iter().any(|a| matches!(a.end, End::Dropped(_))),
        in_flight: st.arrows.iter().any(|a| a.end == End::InFlight),
        paused: st.shades.iter().any(|s| s.kind == ShadeKind::Pause),
        crashed: st.shades.iter().any(|s| s.kind == ShadeKind::Crash),
        partitioned: !st.bands.is_empty(),
        labelled: !st.labels.is_empty(),
    };
    legend(&root, f.left, axis_y + 62, shown).map_err(err)
}

fn group_names(st: &SpaceTime, group: &[usize]) -> String {
    group
        .iter()
        .map(|&i| st.names.get(i).cloned().unwrap_or_else(|| format!("node {i}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which marks the diagram has, so the legend lists only those.
struct Shown {
    lost: bool,
    in_flight: bool,
    paused: bool,
    crashed: bool,
    partitioned: bool,
    labelled: bool,
}

/// One row explaining every mark.
fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    mut x: i32,
    y: i32,
    shown: Shown,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let text = font(13).pos(Pos::new(HPos::Left, VPos::Center));
    let gap = 26;
    let say = |root: &DrawingArea<DB, _>,
               x: &mut i32,
               s: &str|
     -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.draw(&Text::new(s.to_string(), (*x, y), text.clone()))?;
        *x += root.estimate_text_size(s, &text)?.0 as i32 + gap;
        Ok(())
    };
    root.draw(&PathElement::new([(x, y), (x + 26, y)], ARROW.stroke_width(2)))?;
    root.draw(&Polygon::new(
        arrow_head((x + 30, y), (x, y), 10.0, 4.5),
        ARROW.filled(),
    ))?;
    x += 36;
    say(root, &mut x, "message delivered")?;
    if shown.lost {
        root.draw(&PathElement::new([(x, y), (x + 18, y)], DROP.stroke_width(2)))?;
        root.draw(&Cross::new((x + 20, y), 6, DROP.stroke_width(3)))?;
        x += 32;
        say(root, &mut x, "lost")?;
    }
    if shown.in_flight {
        root.draw(&PathElement::new([(x, y), (x + 18, y)], CRASH.stroke_width(2)))?;
        root.draw(&Polygon::new(arrow_head((x + 22, y), (x, y), 9.0, 4.0), CRASH.filled()))?;
        x += 28;
        say(root, &mut x, "still in flight at the end")?;
    }
    for (colour, what, on) in [
        (PAUSE.mix(0.35), "paused", shown.paused),
        (CRASH.mix(0.3), "crashed", shown.crashed),
        (PARTITION.mix(0.16), "partitioned", shown.partitioned),
    ] {
        if !on {
            continue;
        }
        root.draw(&Rectangle::new([(x, y - 8), (x + 22, y + 8)], colour.filled()))?;
        x += 28;
        say(root, &mut x, what)?;
    }
    if shown.labelled {
        root.draw(&Circle::new((x + 4, y), 4, BLACK.filled()))?;
        x += 14;
        say(root, &mut x, "labelled event")?;
    }
    Ok(())
}
