//! SM(m), the signed-messages algorithm, with simulated unforgeable signatures.
//!
//! The commander signs its order and sends it to every lieutenant. A lieutenant that receives
//! a validly signed order it has not seen before adds it to its set V and, if the message
//! carries at most m signatures, countersigns it and sends it on to every lieutenant who has
//! not signed it yet. After m + 1 rounds it decides: the one order in V if there is exactly
//! one, else [`Order::DEFAULT`].
//!
//! A signature is a keyed hash over the value and the chain of signers so far. Each general
//! holds only its own key; the verifier checks a chain against every key. A traitor can sign
//! whatever it commands and can relay or drop what it received, but a value it changes no
//! longer matches the commander's signature, and loyal receivers count it as rejected.

use std::collections::BTreeSet;
use std::rc::Rc;

use rand::RngCore;

use super::strategy::{Strategy, Traitor};
use super::{Generals, MAX_MESSAGES, Order, ROUND_S, Run};
use crate::error::{Error, Result};
use crate::sim::{Limits, Seed};
use crate::world::{Ctx, Handled, LinkConfig, Node, NodeId, Outcome, Plain, World};

/// A signed order: the value, the chain of signers (commander first) and the seal that binds
/// them. Its `Debug` is what diagrams show, e.g. `A 0:2` (`✗` marks a broken seal).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedMsg {
    /// The order.
    pub value: Order,
    /// Who signed, in order.
    pub chain: Vec<NodeId>,
    seal: u64,
    forged: bool,
}

impl std::fmt::Debug for SignedMsg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chain: Vec<String> = self.chain.iter().map(|p| p.to_string()).collect();
        let mark = if self.forged { " ✗" } else { "" };
        write!(f, "{} {}{mark}", self.value.letter(), chain.join(":"))
    }
}

/// The world's protocol for SM.
pub type Signed = Plain<SignedMsg, ()>;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Every general's secret key; only [`Keyring::verify`] and each general's own key use them.
#[derive(Debug)]
struct Keyring {
    secrets: Vec<u64>,
}

impl Keyring {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Seed(seed).stream(0xB12A);
        Keyring {
            secrets: (0..n).map(|_| rng.next_u64()).collect(),
        }
    }

    fn seal(&self, value: Order, chain: &[NodeId]) -> u64 {
        let mut h = mix(self.secrets[chain[0]] ^ (value as u64 + 1));
        for &c in &chain[1..] {
            h = mix(h ^ self.secrets[c]);
        }
        h
    }

    fn verify(&self, m: &SignedMsg) -> bool {
        !m.chain.is_empty() && m.chain.iter().all(|&c| c < self.secrets.len()) && self.seal(m.value, &m.chain) == m.seal
    }
}

/// A general's own key: it can start a chain or extend one, nothing else.
#[derive(Debug)]
struct Key {
    me: NodeId,
    secret: u64,
}

impl Key {
    fn sign(&self, value: Order) -> SignedMsg {
        SignedMsg {
            value,
            chain: vec![self.me],
            seal: mix(self.secret ^ (value as u64 + 1)),
            forged: false,
        }
    }
    /// Countersigns `m`, claiming it carries `value` (a changed value breaks the seal).
    fn countersign(&self, m: &SignedMsg, value: Order) -> SignedMsg {
        let mut chain = m.chain.clone();
        chain.push(self.me);
        SignedMsg {
            value,
            chain,
            seal: mix(m.seal ^ self.secret),
            forged: m.forged || value != m.value,
        }
    }
}

const MSG_BYTES: u64 = 96;

/// One general of SM: the commander (id 0) or a lieutenant.
pub struct SignedGeneral {
    me: NodeId,
    m: usize,
    order: Order,
    key: Key,
    keyring: Rc<Keyring>,
    traitor: Option<Traitor>,
    seen: BTreeSet<Order>,
    rejected: usize,
    decision: Option<Order>,
}

impl SignedGeneral {
    /// Its decision (`None` for the commander, a traitor, or before it decided).
    pub fn decision(&self) -> Option<Order> {
        self.decision
    }
}

impl Node<Signed> for SignedGeneral {
    fn start(&mut self, ctx: &mut Ctx<'_, Signed>) -> Handled {
        let n = ctx.nodes();
        if self.me != 0 {
            ctx.set_timer(decide_s(self.m), ());
            return Ok(());
        }
        for to in 1..n {
            let value = match &self.traitor {
                None => Some(self.order),
                Some(t) => t.send(0, to, n, &[], self.order, ctx.rng),
            };
            if let Some(v) = value {
                ctx.send(to, self.key.sign(v), MSG_BYTES);
            }
        }
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Signed>, from: NodeId, msg: SignedMsg) -> Handled {
        let c = &msg.chain;
        let shape = self.me != 0
            && c.first() == Some(&0)
            && c.last() == Some(&from)
            && c.len() <= self.m + 1
            && !c.contains(&self.me)
            && (1..c.len()).all(|i| !c[..i].contains(&c[i]));
        if !shape || !self.keyring.verify(&msg) {
            self.rejected += 1;
            return Ok(());
        }
        if !self.seen.insert(msg.value) || c.len() > self.m {
            return Ok(());
        }
        let n = ctx.nodes();
        for to in (1..n).filter(|&to| to != self.me && !c.contains(&to)) {
            let value = match &self.traitor {
                None => Some(msg.value),
                Some(t) => t.send(self.me, to, n, c, msg.value, ctx.rng),
            };
            if let Some(v) = value {
                ctx.send(to, self.key.countersign(&msg, v), MSG_BYTES);
            }
        }
        Ok(())
    }

    fn timer(&mut self, _: &mut Ctx<'_, Signed>, _: ()) -> Handled {
        if self.traitor.is_none() {
            self.decision = Some(match self.seen.len() {
                1 => *self.seen.first().expect("one order"),
                _ => Order::DEFAULT,
            });
        }
        Ok(())
    }
}

/// Runs SM(m) once; traitors follow `strategy`; `seed` drives the keys and the traitors'
/// random streams. Errors: a setting that would send more than [`MAX_MESSAGES`].
pub fn run(g: &Generals, strategy: Rc<dyn Strategy>, seed: u64) -> Result<Run> {
    run_world(g, strategy, seed).map(|(run, _)| run)
}

/// When lieutenants decide in SM(m): after m + 1 rounds.
pub(crate) fn decide_s(m: usize) -> f64 {
    (m as f64 + 1.5) * ROUND_S
}

/// [`run`], also returning the world's outcome (for a space-time diagram).
pub fn run_world(g: &Generals, strategy: Rc<dyn Strategy>, seed: u64) -> Result<(Run, Outcome<Signed>)> {
    // Each loyal lieutenant relays at most two orders to at most n − 2 others.
    let bound = (g.n as u64).saturating_mul(g.n as u64).saturating_mul(2);
    if bound > MAX_MESSAGES {
        return Err(Error::invalid("n", g.n, "too many generals to simulate"));
    }
    let keyring = Rc::new(Keyring::new(g.n, seed));
    let all: Rc<[NodeId]> = g.traitors.clone().into();
    let mut world = World::<Signed>::new(seed);
    // Relays take half a round; the commander's orders arrive at staggered times, so that the
    // lieutenants relay at different moments and the diagram's arrows do not overlap.
    world.set_link(LinkConfig::reliable(0.5 * ROUND_S, 1e9)?)?;
    for i in 1..g.n {
        let spread = 0.2 * (i - 1) as f64 / (g.n - 2).max(1) as f64;
        world.set_link_between(0, i, LinkConfig::reliable((0.3 + spread) * ROUND_S, 1e9)?)?;
    }
    world.label_messages(g.label_messages);
    for me in 0..g.n {
        world.add_node(SignedGeneral {
            me,
            m: g.m,
            order: g.order,
            key: Key {
                me,
                secret: keyring.secrets[me],
            },
            keyring: keyring.clone(),
            traitor: g.is_traitor(me).then(|| Traitor {
                strategy: strategy.clone(),
                all: all.clone(),
            }),
            seen: BTreeSet::new(),
            rejected: 0,
            decision: None,
        });
    }
    let out = world.run(Limits::default())?;
    if let Some(f) = &out.failure {
        return Err(Error::invalid("run", f, "a general failed"));
    }
    let generals: Vec<&SignedGeneral> = (0..g.n)
        .map(|i| out.node::<SignedGeneral>(i).expect("every node is a general"))
        .collect();
    let run = Run {
        generals: g.clone(),
        strategy: strategy.name(),
        decisions: generals
            .iter()
            .map(|s| if s.me == 0 { None } else { s.decision })
            .collect(),
        rejected: generals
            .iter()
            .filter(|s| s.traitor.is_none())
            .map(|s| s.rejected)
            .sum(),
        messages: out.messages.clone(),
        heard: vec![Default::default(); g.n],
    };
    Ok((run, out))
}

impl Generals {
    /// Runs SM(m) (see [`run`]).
    pub fn run_signed(&self, strategy: Rc<dyn Strategy>, seed: u64) -> Result<Run> {
        run(self, strategy, seed)
    }
}
