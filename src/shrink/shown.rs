//! A shrunk counterexample with its diagram, as a notebook cell shows it.

use crate::grade::Counterexample;
use crate::plot::SpaceTime;

/// A shrunk failing run: what the report says of it and its space-time diagram.
pub struct ShrunkRun {
    /// Chapter (= exercise) number, for the replay command.
    pub exercise: u8,
    /// The property, the run in plain lines, the replay code.
    pub counterexample: Counterexample,
    /// Exactly that run, drawn, the violating event marked.
    pub diagram: SpaceTime,
}

impl ShrunkRun {
    /// The text a report shows of it.
    pub fn render(&self) -> String {
        self.counterexample.render(self.exercise)
    }

    /// Shows the run's lines, then its diagram, in a Jupyter cell (evcxr calls this for a
    /// cell's last value).
    pub fn evcxr_display(&self) {
        let text = self
            .render()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        // One HTML output with the diagram inline: evcxr gathers a cell's outputs into one
        // bundle, and Jupyter shows only its richest type, so a separate image/svg+xml next to
        // text/html would never be seen (in JupyterLab or in the book).
        let diagram = match self.diagram.to_svg() {
            Ok(svg) => svg,
            Err(e) => format!("<p>could not draw the diagram: {e}</p>"),
        };
        println!("EVCXR_BEGIN_CONTENT text/html\n<pre>{text}</pre>\n{diagram}\nEVCXR_END_CONTENT");
    }
}

impl std::fmt::Display for ShrunkRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}
