//! Text on PNGs, drawn glyph by glyph where the font puts each one.
//!
//! plotters' own `ab_glyph` text path places every glyph's pixel box at the pen position
//! rounded down, ignoring the glyph's left side bearing: narrow letters with a wide bearing
//! ("l", "i", "r") slide left onto their neighbours, so "client" reads "dient" and "retries"
//! reads "retr ies". [`CrispText`] wraps a bitmap backend and draws text itself: each glyph is
//! outlined at its exact (sub-pixel) pen position, advance and kerning from the font, and its
//! coverage blended into the image, at the size and anchor the SVG gives the same text, so a
//! figure's PNG and SVG agree. Everything else is passed through to the wrapped backend, and
//! text boxes are measured as before, so the layout of a figure does not change. Wide lines
//! get round joins rather than the wrapped backend's unbounded miters (see `draw_path`).

use ab_glyph::{Font, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle, FontTransform,
};

use super::font;

/// A drawing backend that draws text with correctly spaced glyphs and passes everything else
/// to `B`.
pub(crate) struct CrispText<B>(pub(crate) B);

impl<B: DrawingBackend> DrawingBackend for CrispText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    /// A line wider than a pixel is drawn segment by segment with round joins: the wrapped
    /// backend joins the segments of a wide path with unbounded miters, which shoot far out of
    /// the plot area where a noisy series turns sharply.
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.stroke_width() <= 1 {
            return self.0.draw_path(path, style);
        }
        let points: Vec<BackendCoord> = path.into_iter().collect();
        for w in points.windows(2) {
            self.0.draw_path([w[0], w[1]], style)?;
        }
        let radius = style.stroke_width() / 2;
        for &p in points.iter().skip(1).take(points.len().saturating_sub(2)) {
            self.0.draw_circle(p, radius, style, true)?;
        }
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(text, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, (iw, ih), src)
    }

    /// Placed as the SVG backend asks a browser to place it: the font size is `size / 1.24`
    /// pixels per em, the anchor's x is the start, middle or end of the text's advance width,
    /// and its y is 0.76 em above the baseline (top), half an x-height below it (centre) or
    /// half an x-height above it (bottom); rotations turn about the anchor.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let face = font::face(matches!(style.style(), FontStyle::Bold));
        let em = style.size() as f32 / 1.24;
        let scale = font::em_scale(face, em);
        let scaled = face.as_scaled(scale);
        // Pen positions of the glyphs, from the font's advances and kerning.
        let mut pen = 0f32;
        let mut prev = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                pen += scaled.kern(p, id);
            }
            prev = Some(id);
            glyphs.push((id, pen));
            pen += scaled.h_advance(id);
        }
        let x0 = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -pen / 2.0,
            HPos::Right => -pen,
        };
        let ex = font::x_height_em() * em;
        let baseline = match style.anchor().v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.5 * ex,
            VPos::Bottom => -0.5 * ex,
        };
        let trans = style.transform();
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(x0 + x, baseline));
            let Some(outline) = face.outline_glyph(glyph) else {
                continue;
            };
            let b = outline.px_bounds();
            let (bx, by) = (b.min.x as i32, b.min.y as i32);
            let mut result = Ok(());
            outline.draw(|x, y, coverage| {
                if coverage <= 0.0 || result.is_err() {
                    return;
                }
                // The pixel [x, x+1) × [y, y+1), turned about the anchor.
                let (x, y) = (bx + x as i32, by + y as i32);
                let (x, y) = match trans {
                    FontTransform::None => (x, y),
                    FontTransform::Rotate90 => (-y - 1, x),
                    FontTransform::Rotate180 => (-x - 1, -y - 1),
                    FontTransform::Rotate270 => (y, -x - 1),
                };
                let shade = BackendColor {
                    alpha: color.alpha * f64::from(coverage.min(1.0)),
                    rgb: color.rgb,
                };
                // The wrapped backend ignores points outside the image.
                result = self.0.draw_pixel((pos.0 + x, pos.1 + y), shade);
            });
            result?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    /// The columns of a 300×200 RGB image that hold ink, after drawing `text` at (100, 50).
    fn inked_columns(text: &str, size: f64) -> Vec<u32> {
        super::super::register_fonts();
        let mut buf = vec![255u8; 300 * 200 * 3];
        {
            let mut b = CrispText(BitMapBackend::with_buffer(&mut buf, (300, 200)));
            let style = TextStyle::from(("sans-serif", size).into_font()).color(&BLACK);
            b.draw_text(text, &style, (100, 50)).unwrap();
            b.present().unwrap();
        }
        (0..300u32)
            .filter(|&x| (0..200usize).any(|y| buf[(y * 300 + x as usize) * 3] < 128))
            .collect()
    }

    #[test]
    fn a_glyph_starts_after_its_left_side_bearing() {
        // 124 px is 100 px per em; DejaVu Sans' "l" has a left side bearing of 193/2048 em, so
        // its ink starts 9 px after the pen (plotters' own path drew it at the pen).
        let ink = inked_columns("l", 124.0);
        assert_eq!(ink.first().copied(), Some(109), "{ink:?}");
    }

    #[test]
    fn letters_of_a_small_word_stay_apart() {
        // At the tick-label size, "c" and "l" of "client" are separate strokes: a column
        // without ink lies between them.
        let ink = inked_columns("cl", 13.0);
        let runs = ink.windows(2).filter(|w| w[1] > w[0] + 1).count() + 1;
        assert_eq!(runs, 2, "{ink:?}");
    }
}
