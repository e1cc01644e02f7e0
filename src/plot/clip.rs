//! Keeping every series inside its plot area: plotters maps a point outside the axes' ranges
//! to a pixel outside the plot area and draws it there, across tick labels and titles. Lines
//! are cut where they cross the area's edges, points outside it are left out and bars are
//! trimmed to it.

/// A closed interval `(lo, hi)` of one axis.
pub(crate) type Span = (f64, f64);

/// Whether `p` lies in the rectangle `x` × `y` (edges included).
pub(crate) fn inside(p: (f64, f64), x: Span, y: Span) -> bool {
    p.0 >= x.0 && p.0 <= x.1 && p.1 >= y.0 && p.1 <= y.1
}

/// The part of the segment `a`–`b` inside the rectangle, as fractions `(t0, t1)` along it
/// (Liang–Barsky), or `None` if it misses the rectangle.
fn clip_segment(a: (f64, f64), b: (f64, f64), x: Span, y: Span) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - x.0), (dx, x.1 - a.0), (-dy, a.1 - y.0), (dy, y.1 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t1 {
                    return None;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return None;
                }
                t1 = t1.min(r);
            }
        }
    }
    Some((t0, t1))
}

/// The pieces of the polyline through `points` that lie inside the rectangle `x` × `y`: each
/// segment is cut at the edges it crosses, and a piece ends where the line leaves the area.
pub(crate) fn polyline(points: &[(f64, f64)], x: Span, y: Span) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open = false;
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let Some((t0, t1)) = clip_segment(a, b, x, y) else {
            open = false;
            continue;
        };
        let at = |t: f64| (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
        // The ends themselves when they are inside, so pieces join exactly.
        let start = if t0 == 0.0 { a } else { at(t0) };
        let end = if t1 == 1.0 { b } else { at(t1) };
        match pieces.last_mut() {
            Some(piece) if open && t0 == 0.0 => piece.push(end),
            _ => pieces.push(vec![start, end]),
        }
        open = t1 == 1.0;
    }
    pieces
}

/// The rectangle with corners `a` and `b`, trimmed to `x` × `y`; `None` if none of it is inside.
pub(crate) fn rect(a: (f64, f64), b: (f64, f64), x: Span, y: Span) -> Option<[(f64, f64); 2]> {
    let (lx, hx) = (a.0.min(b.0).max(x.0), a.0.max(b.0).min(x.1));
    let (ly, hy) = (a.1.min(b.1).max(y.0), a.1.max(b.1).min(y.1));
    (lx <= hx && ly <= hy).then_some([(lx, ly), (hx, hy)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cut_at_the_edges_and_split_where_it_leaves() {
        let area = ((0.0, 10.0), (0.0, 10.0));
        let line = [
            (-5.0, 5.0),
            (5.0, 5.0),
            (5.0, 8.0),
            (5.0, 20.0),
            (8.0, 20.0),
            (8.0, 5.0),
        ];
        let pieces = polyline(&line, area.0, area.1);
        assert_eq!(
            pieces,
            vec![
                vec![(0.0, 5.0), (5.0, 5.0), (5.0, 8.0), (5.0, 10.0)],
                vec![(8.0, 10.0), (8.0, 5.0)],
            ]
        );
        assert!(polyline(&[(20.0, 0.0), (30.0, 5.0)], area.0, area.1).is_empty());
        assert!(inside((10.0, 0.0), area.0, area.1) && !inside((10.1, 0.0), area.0, area.1));
    }

    #[test]
    fn bars_are_trimmed_to_the_area() {
        let (x, y) = ((0.0, 10.0), (0.0, 10.0));
        assert_eq!(rect((-1.0, 0.0), (1.0, 50.0), x, y), Some([(0.0, 0.0), (1.0, 10.0)]));
        assert_eq!(rect((11.0, 0.0), (12.0, 5.0), x, y), None);
    }
}
