//! The two elections the classic texts describe, on the world, to count their messages: the
//! **bully** election (the highest live id wins by bullying every lower one) and the **ring**
//! election of Chang and Roberts (ids travel round a ring, the largest survives).

use crate::error::{Result, check};
use crate::sim::Limits;
use crate::world::{Ctx, Fault, Handled, LinkConfig, Node, NodeId, Plain, World};

/// Bully messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bully {
    /// "I am holding an election": sent to every higher id.
    Election,
    /// "I am alive and higher: stand down."
    Ok,
    /// "I am the leader": sent to every lower id.
    Coordinator,
}

struct BullyNode {
    starts: bool,
    wait_s: f64,
    standing: bool,
    heard_ok: bool,
    leader: Option<NodeId>,
}

impl BullyNode {
    fn stand(&mut self, ctx: &mut Ctx<'_, Plain<Bully>>) {
        if self.standing {
            return;
        }
        self.standing = true;
        for to in ctx.me() + 1..ctx.nodes() {
            ctx.send(to, Bully::Election, 16);
        }
        ctx.set_timer(self.wait_s, ());
    }
}

impl Node<Plain<Bully>> for BullyNode {
    fn start(&mut self, ctx: &mut Ctx<'_, Plain<Bully>>) -> Handled {
        if self.starts {
            self.stand(ctx);
        }
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Plain<Bully>>, from: NodeId, msg: Bully) -> Handled {
        match msg {
            Bully::Election => {
                ctx.send(from, Bully::Ok, 16);
                self.stand(ctx);
            }
            Bully::Ok => self.heard_ok = true,
            Bully::Coordinator => self.leader = Some(from),
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Plain<Bully>>, _: ()) -> Handled {
        if !self.heard_ok {
            self.leader = Some(ctx.me());
            for to in 0..ctx.me() {
                ctx.send(to, Bully::Coordinator, 16);
            }
        }
        Ok(())
    }
}

/// What a classic election did: messages sent (to crashed nodes too) and whom each live node
/// ended up calling leader.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassicOutcome {
    /// Messages sent.
    pub messages: usize,
    /// Each node's leader at the end (`None` for a crashed node or one that never learned).
    pub leaders: Vec<Option<NodeId>>,
}

fn links(delay_s: f64) -> Result<LinkConfig> {
    check::positive("link delay", delay_s)?;
    LinkConfig::reliable(delay_s, 1e9)
}

/// The bully election on `n` nodes (ids 0..n) whose old leader, node `n − 1`, has crashed;
/// node 0 notices first and stands. Links take 10 ms; a node waits 50 ms for an `Ok`.
///
/// Every message is counted: `n(n − 1)/2` elections, `(n − 1)(n − 2)/2` `Ok`s and `n − 2`
/// coordinator messages, `(n − 1)² + n − 2` in all, the textbooks' O(n²) worst case.
pub fn bully(n: usize) -> Result<ClassicOutcome> {
    check::at_least_one("nodes", n as u64)?;
    if n < 2 {
        return Err(crate::Error::invalid(
            "nodes",
            n,
            "a bully election needs at least 2 nodes",
        ));
    }
    let mut world = World::<Plain<Bully>>::new(1);
    world.set_link(links(0.010)?)?;
    for i in 0..n {
        world.add_node(BullyNode {
            starts: i == 0,
            wait_s: 0.050,
            standing: false,
            heard_ok: false,
            leader: None,
        });
    }
    world.add_fault(Fault::Crash {
        node: n - 1,
        at_s: 0.0,
        recover_at_s: None,
    });
    let out = world.run(Limits::default())?;
    let leaders = (0..n)
        .map(|i| {
            out.node::<BullyNode>(i)
                .and_then(|b| if i == n - 1 { None } else { b.leader })
        })
        .collect();
    Ok(ClassicOutcome {
        messages: out.messages.len(),
        leaders,
    })
}

/// Ring messages (Chang and Roberts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ring {
    /// The largest id seen so far on its way round.
    Election(u64),
    /// The winner's id, sent once round the ring.
    Elected(u64),
}

struct RingNode {
    id: u64,
    leader: Option<u64>,
}

impl Node<Plain<Ring>> for RingNode {
    fn start(&mut self, ctx: &mut Ctx<'_, Plain<Ring>>) -> Handled {
        let next = (ctx.me() + 1) % ctx.nodes();
        ctx.send(next, Ring::Election(self.id), 16);
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Plain<Ring>>, _: NodeId, msg: Ring) -> Handled {
        let next = (ctx.me() + 1) % ctx.nodes();
        match msg {
            // Every node started, so a smaller id is simply swallowed.
            Ring::Election(id) if id > self.id => ctx.send(next, Ring::Election(id), 16),
            Ring::Election(id) if id == self.id => {
                self.leader = Some(id);
                ctx.send(next, Ring::Elected(id), 16);
            }
            Ring::Election(_) => {}
            Ring::Elected(id) => {
                if id != self.id {
                    self.leader = Some(id);
                    ctx.send(next, Ring::Elected(id), 16);
                }
            }
        }
        Ok(())
    }
}

/// The ring election of Chang and Roberts on `n` nodes that all start at once, each sending
/// its id to the next node round the ring; a node forwards only ids larger than its own. With
/// ids *decreasing* in the direction of travel (`ascending = false`) id `k` travels `k + 1`
/// hops: `n(n + 1)/2` election messages, the worst case; with ids increasing only the largest
/// goes far: `2n − 1`. Either way `n` more messages announce the winner.
pub fn ring(n: usize, ascending: bool) -> Result<ClassicOutcome> {
    check::at_least_one("nodes", n as u64)?;
    let mut world = World::<Plain<Ring>>::new(1);
    world.set_link(links(0.010)?)?;
    for i in 0..n {
        let id = if ascending { i } else { n - 1 - i } as u64;
        world.add_node(RingNode { id, leader: None });
    }
    let out = world.run(Limits::default())?;
    let leaders = (0..n)
        .map(|i| out.node::<RingNode>(i).and_then(|r| r.leader).map(|l| l as NodeId))
        .collect();
    Ok(ClassicOutcome {
        messages: out.messages.len(),
        leaders,
    })
}
