//! The one font of every figure, DejaVu Sans, compiled into the binary: the faces the PNG text
//! is drawn with, and the same font embedded in each SVG so that a browser shows it as the PNG
//! does (rather than whatever its own "sans-serif" is).

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, point};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The family name the SVGs give the embedded font.
const FAMILY: &str = "DejaVu Sans";

/// DejaVu Sans, regular or bold, for drawing text on PNGs.
pub(crate) fn face(bold: bool) -> &'static FontRef<'static> {
    static REGULAR: OnceLock<FontRef<'static>> = OnceLock::new();
    static BOLD: OnceLock<FontRef<'static>> = OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, dejavu::sans::bold())
    } else {
        (&REGULAR, dejavu::sans::regular())
    };
    // DejaVu is a valid TrueType font: parsing it cannot fail.
    cell.get_or_init(|| FontRef::try_from_slice(bytes).expect("DejaVu Sans parses"))
}

/// The scale at which ab_glyph draws the font `em` pixels per em, as CSS's `font-size: em px`
/// (ab_glyph's scale is the height from descender to ascender, more than an em).
pub(crate) fn em_scale(face: &FontRef<'static>, em: f32) -> PxScale {
    let per_em = face.units_per_em().unwrap_or(2048.0);
    PxScale::from(em * face.height_unscaled() / per_em)
}

/// The font's x-height in ems (the height of its "x"): the CSS `ex`.
pub(crate) fn x_height_em() -> f32 {
    static EX: OnceLock<f32> = OnceLock::new();
    *EX.get_or_init(|| {
        // Drawn 1000 pixels per em on the baseline y = 0, its top is x-height pixels above.
        let face = face(false);
        let x = face
            .glyph_id('x')
            .with_scale_and_position(em_scale(face, 1000.0), point(0.0, 0.0));
        face.outline_glyph(x)
            .map(|o| -o.px_bounds().min.y / 1000.0)
            .filter(|&h| h > 0.0)
            .unwrap_or(0.5)
    })
}

/// `@font-face` rules with the font as base64 data, the bold face only if the SVG uses it,
/// and a rule that sets every text in the font (a style sheet outranks plotters'
/// `font-family="sans-serif"` attributes).
fn style_sheet(bold: bool) -> String {
    static REGULAR: OnceLock<String> = OnceLock::new();
    static BOLD: OnceLock<String> = OnceLock::new();
    let face = |weight: &str, bytes: &[u8]| {
        format!(
            "@font-face{{font-family:\"{FAMILY}\";font-weight:{weight};\
             src:url(data:font/ttf;base64,{})format(\"truetype\");}}",
            STANDARD.encode(bytes)
        )
    };
    let mut css = String::from("<style>");
    css.push_str(REGULAR.get_or_init(|| face("normal", dejavu::sans::regular())));
    if bold {
        css.push_str(BOLD.get_or_init(|| face("bold", dejavu::sans::bold())));
    }
    css.push_str(&format!("text{{font-family:\"{FAMILY}\",sans-serif;}}</style>\n"));
    css
}

/// `svg` with the font embedded just inside its root element, so it renders with the same
/// glyphs as the PNG wherever it is opened.
pub(crate) fn embed(svg: &str) -> String {
    let Some(end) = svg.find("<svg").and_then(|s| svg[s..].find('>').map(|e| s + e + 1)) else {
        return svg.to_string();
    };
    let css = style_sheet(svg.contains("font-weight=\"bold\""));
    let mut out = String::with_capacity(svg.len() + css.len() + 1);
    out.push_str(&svg[..end]);
    out.push('\n');
    out.push_str(&css);
    out.push_str(&svg[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_goes_inside_the_root_element() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"10\">\n<text>hi</text>\n</svg>\n";
        let out = embed(svg);
        let style = out
            .find("<style>@font-face{font-family:\"DejaVu Sans\"")
            .expect("embedded");
        assert!(out.find("<svg").unwrap() < style && style < out.find("<text>").unwrap());
        assert!(!out.contains("font-weight:bold"), "no bold face unless used");
        assert!(out.ends_with("<text>hi</text>\n</svg>\n"));
    }

    #[test]
    fn metrics_are_dejavu_sans() {
        // DejaVu Sans: 2048 units per em, an x 1120 units tall.
        assert!((x_height_em() - 1120.0 / 2048.0).abs() < 0.01, "{}", x_height_em());
        let scale = em_scale(face(false), 10.0);
        assert!(scale.y > 10.0 && scale.y < 12.5, "{scale:?}");
    }
}
