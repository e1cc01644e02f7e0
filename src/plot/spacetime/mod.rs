//! Space-time diagrams: one horizontal lane per node in true time, an arrow per message.
//!
//! A [`SpaceTime`] is drawn from a world [`Outcome`]: every delivered message is an arrow from
//! its sender's lane at the true time it was sent to its receiver's lane at the true time it
//! arrived; a dropped message is a short arrow ending in a cross where it was lost; pauses and
//! crashes shade the node's lane, partitions shade the whole diagram while they last. Labels
//! can be put beside a send or a receive point (chapters 10 and 11 write clock stamps there),
//! at any point of a lane, and in the middle of a message's arrow.
//!
//! ```
//! use faultline::plot::spacetime::SpaceTime;
//! use faultline::sim::Limits;
//! use faultline::world::{Ctx, Handled, Node, NodeId, Plain, World};
//!
//! struct Hello;
//! impl Node<Plain<u8>> for Hello {
//!     fn start(&mut self, ctx: &mut Ctx<'_, Plain<u8>>) -> Handled {
//!         if ctx.me() == 0 { ctx.send(1, 7, 10) }
//!         Ok(())
//!     }
//!     fn receive(&mut self, _: &mut Ctx<'_, Plain<u8>>, _: NodeId, _: u8) -> Handled { Ok(()) }
//! }
//! let mut world = World::<Plain<u8>>::new(1);
//! world.add_node(Hello);
//! world.add_node(Hello);
//! let out = world.run(Limits::default())?;
//! let svg = SpaceTime::from_outcome(&out)
//!     .title("One message")
//!     .node_names(["client", "server"])
//!     .label_send(0, "L=1")
//!     .label_receive(0, "L=2")
//!     .to_svg()?;
//! assert!(svg.contains("client") && svg.contains("L=2"));
//! # Ok::<(), faultline::Error>(())
//! ```

mod draw;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::world::{Fate, MessageRecord, NodeEvent, NodeId, Outcome, Partition, Protocol};

/// What became of one message, as drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum End {
    /// Arrived at this true time.
    Delivered(f64),
    /// Lost at this true time.
    Dropped(f64),
    /// Still travelling when the run ended.
    InFlight,
}

/// One message as drawn.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arrow {
    pub from: NodeId,
    pub to: NodeId,
    pub sent_s: f64,
    pub end: End,
    pub label: Option<String>,
}

/// Why a stretch of a lane (or of the whole diagram) is shaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShadeKind {
    Pause,
    Crash,
}

/// A shaded stretch of one lane.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shade {
    pub node: NodeId,
    pub from_s: f64,
    pub to_s: f64,
    pub kind: ShadeKind,
}

/// A partition while it lasts, with the groups it separates, for its caption.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Band {
    pub from_s: f64,
    pub to_s: f64,
    pub groups: Vec<Vec<NodeId>>,
}

/// A text beside a point of a lane.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PointLabel {
    pub node: NodeId,
    pub at_s: f64,
    pub text: String,
}

/// A space-time diagram of one run: lanes, arrows, shading and labels. Build it with
/// [`SpaceTime::from_outcome`] and the builder methods, then [`SpaceTime::save`] it or let a
/// notebook show it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceTime {
    pub(crate) title: String,
    pub(crate) names: Vec<String>,
    pub(crate) arrows: Vec<Arrow>,
    pub(crate) shades: Vec<Shade>,
    pub(crate) bands: Vec<Band>,
    pub(crate) labels: Vec<PointLabel>,
    pub(crate) end_s: f64,
    pub(crate) width: u32,
    pub(crate) time_label: String,
    records: Vec<MessageRecord>,
}

impl SpaceTime {
    /// The diagram of a world run: its messages, pauses, crashes and partitions. Nodes are
    /// named `node 0`, `node 1`, … until [`SpaceTime::node_names`] says otherwise.
    pub fn from_outcome<P: Protocol>(outcome: &Outcome<P>) -> Self {
        Self::from_records(
            outcome.nodes.len().max(outcome.clocks.len()),
            &outcome.messages,
            &outcome.node_events,
            &outcome.partitions,
            outcome.run.now,
        )
    }

    /// The diagram of `nodes` lanes from a run's records (what [`SpaceTime::from_outcome`]
    /// takes out of an [`Outcome`]), drawn at least until true time `end_s`.
    pub fn from_records(
        nodes: usize,
        messages: &[MessageRecord],
        node_events: &[NodeEvent],
        partitions: &[Partition],
        end_s: f64,
    ) -> Self {
        let mut end_s = if end_s.is_finite() { end_s.max(0.0) } else { 0.0 };
        let arrows: Vec<Arrow> = messages
            .iter()
            .map(|r| Arrow {
                from: r.from,
                to: r.to,
                sent_s: r.sent_at_s,
                end: match r.fate {
                    Fate::Delivered { at_s } => End::Delivered(at_s),
                    Fate::Dropped { at_s, .. } => End::Dropped(at_s),
                    Fate::InFlight => End::InFlight,
                },
                label: None,
            })
            .collect();
        for a in &arrows {
            end_s = end_s.max(a.sent_s);
            if let End::Delivered(t) | End::Dropped(t) = a.end {
                end_s = end_s.max(t);
            }
        }
        let mut shades = Vec::new();
        let mut down: Vec<Option<f64>> = vec![None; nodes];
        for e in node_events {
            match *e {
                NodeEvent::Paused { node, from_s, to_s, .. } => {
                    end_s = end_s.max(to_s);
                    shades.push(Shade {
                        node,
                        from_s,
                        to_s,
                        kind: ShadeKind::Pause,
                    });
                }
                NodeEvent::Crashed { node, at_s } => {
                    if let Some(d) = down.get_mut(node) {
                        *d = Some(at_s);
                    }
                }
                NodeEvent::Recovered { node, at_s } => {
                    if let Some(from_s) = down.get_mut(node).and_then(Option::take) {
                        shades.push(Shade {
                            node,
                            from_s,
                            to_s: at_s,
                            kind: ShadeKind::Crash,
                        });
                    }
                }
                NodeEvent::ClockStepped { .. } => {}
            }
        }
        for (node, d) in down.into_iter().enumerate() {
            if let Some(from_s) = d {
                shades.push(Shade {
                    node,
                    from_s,
                    to_s: f64::INFINITY,
                    kind: ShadeKind::Crash,
                });
            }
        }
        let bands = partitions
            .iter()
            .map(|p| Band {
                from_s: p.start_s,
                to_s: p.end_s,
                groups: p.groups.clone(),
            })
            .collect();
        SpaceTime {
            title: "Space-time diagram".into(),
            names: (0..nodes).map(|i| format!("node {i}")).collect(),
            arrows,
            shades,
            bands,
            labels: Vec::new(),
            end_s: if end_s > 0.0 { end_s } else { 1.0 },
            width: 1000,
            time_label: "true time (s)".into(),
            records: messages.to_vec(),
        }
    }

    /// The title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Names the lanes, in node order (missing names keep `node i`).
    pub fn node_names<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        for (slot, name) in self.names.iter_mut().zip(names) {
            *slot = name.into();
        }
        self
    }

    /// The time axis's label, `"true time (s)"` unless said otherwise (a diagram of a real run
    /// is in wall-clock time).
    pub fn time_axis(mut self, label: impl Into<String>) -> Self {
        self.time_label = label.into();
        self
    }

    /// Width in pixels (the height follows from the number of lanes).
    pub fn width(mut self, width: u32) -> Self {
        self.width = width.max(400);
        self
    }

    /// Draws true time up to `end_s` seconds instead of the end of the run.
    pub fn until(mut self, end_s: f64) -> Self {
        if end_s.is_finite() && end_s > 0.0 {
            self.end_s = end_s;
        }
        self
    }

    /// Writes `text` beside the send point of message `msg_index` (its index in
    /// `outcome.messages`); an index with no message is ignored.
    pub fn label_send(mut self, msg_index: usize, text: impl Into<String>) -> Self {
        if let Some(a) = self.arrows.get(msg_index) {
            self.labels.push(PointLabel {
                node: a.from,
                at_s: a.sent_s,
                text: text.into(),
            });
        }
        self
    }

    /// Writes `text` beside the receive point of message `msg_index`; ignored unless that
    /// message was delivered.
    pub fn label_receive(mut self, msg_index: usize, text: impl Into<String>) -> Self {
        if let Some(Arrow {
            to,
            end: End::Delivered(at_s),
            ..
        }) = self.arrows.get(msg_index)
        {
            self.labels.push(PointLabel {
                node: *to,
                at_s: *at_s,
                text: text.into(),
            });
        }
        self
    }

    /// Writes `text` beside node `node`'s lane at true time `time_s` (a local event), with a
    /// dot at that point.
    pub fn label_event(mut self, node: NodeId, time_s: f64, text: impl Into<String>) -> Self {
        if node < self.names.len() && time_s.is_finite() {
            self.labels.push(PointLabel {
                node,
                at_s: time_s,
                text: text.into(),
            });
        }
        self
    }

    /// Labels each message's arrow (in its middle) with what `label` says of its record;
    /// `None` leaves the arrow bare.
    pub fn label_messages(mut self, mut label: impl FnMut(&MessageRecord) -> Option<String>) -> Self {
        for (a, r) in self.arrows.iter_mut().zip(&self.records) {
            a.label = label(r);
        }
        self
    }

    /// The figure as an SVG document.
    pub fn to_svg(&self) -> Result<String> {
        super::register_fonts();
        let mut svg = String::new();
        {
            let root = plotters::prelude::SVGBackend::with_string(&mut svg, self.size());
            draw::draw(self, root).map_err(|m| self.plot_error(m))?;
        }
        Ok(super::font::embed(&svg))
    }

    /// Writes the figure as PNG to `path`.
    pub fn save_png(&self, path: &Path) -> Result<()> {
        super::register_fonts();
        let root = super::raster::CrispText(plotters::prelude::BitMapBackend::new(path, self.size()));
        draw::draw(self, root).map_err(|m| self.plot_error(m))
    }

    /// Writes `<dir>/<stem>.svg` and `<dir>/<stem>.png`, creating `dir`, and returns both paths.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let svg_path = dir.join(format!("{stem}.svg"));
        let png_path = dir.join(format!("{stem}.png"));
        let svg = self.to_svg()?;
        std::fs::write(&svg_path, svg).map_err(|source| Error::Io {
            path: svg_path.clone(),
            source,
        })?;
        self.save_png(&png_path)?;
        Ok(vec![svg_path, png_path])
    }

    /// Shows the diagram inline in a Jupyter cell (evcxr calls this for a cell's last value).
    pub fn evcxr_display(&self) {
        match self.to_svg() {
            Ok(svg) => println!("EVCXR_BEGIN_CONTENT image/svg+xml\n{svg}\nEVCXR_END_CONTENT"),
            Err(e) => println!("could not draw the diagram: {e}"),
        }
    }

    fn size(&self) -> (u32, u32) {
        (self.width, draw::height(self.names.len()))
    }

    fn plot_error(&self, message: impl Into<String>) -> Error {
        Error::Plot {
            title: self.title.clone(),
            message: message.into(),
        }
    }
}
