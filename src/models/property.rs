//! Properties the earlier chapters' protocols promise, to sort into safety and liveness.
//!
//! Safety: something bad never happens; a violation happens at one event, and the prefix up
//! to it is a finite witness. Liveness: something good eventually happens; no finite prefix
//! can refute it, because it may still happen later. A deadline turns a liveness property into
//! a safety one: "answered within 1 s" is violated at the moment the second runs out.

/// A property of a protocol's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Property {
    /// No term ever has two leaders (chapter 9).
    OneLeaderPerTerm,
    /// Some node is eventually elected leader (chapter 9).
    EventuallyLeader,
    /// The storage never accepts a write whose fencing token is lower than one it accepted
    /// before (chapter 8).
    NoStaleWrite,
    /// Every client holding a valid lease eventually gets its write accepted (chapter 8).
    WriteEventuallyAccepted,
    /// If event a happened before b, a's Lamport stamp is smaller than b's (chapter 11).
    ClockCondition,
    /// Every request is eventually answered once the partition heals (chapter 1).
    EveryRequestAnswered,
    /// Every request is answered within 1 s of being sent.
    AnsweredWithinOneSecond,
    /// A crashed node is eventually suspected by every live node (completeness, chapter 4).
    CrashEventuallySuspected,
    /// A live node is never suspected (accuracy, chapter 4).
    NoFalseSuspicion,
    /// Two nodes never decide different values (agreement, chapter 10).
    Agreement,
    /// Every correct node eventually decides (termination, chapter 10).
    Termination,
    /// A node only decides a value some node proposed (validity).
    DecidesProposedValue,
}

impl Property {
    /// Every property, in the order above.
    pub const ALL: [Property; 12] = [
        Property::OneLeaderPerTerm,
        Property::EventuallyLeader,
        Property::NoStaleWrite,
        Property::WriteEventuallyAccepted,
        Property::ClockCondition,
        Property::EveryRequestAnswered,
        Property::AnsweredWithinOneSecond,
        Property::CrashEventuallySuspected,
        Property::NoFalseSuspicion,
        Property::Agreement,
        Property::Termination,
        Property::DecidesProposedValue,
    ];

    /// The property in words.
    pub fn text(&self) -> &'static str {
        match self {
            Property::OneLeaderPerTerm => "no term ever has two leaders",
            Property::EventuallyLeader => "some node is eventually elected leader",
            Property::NoStaleWrite => "the storage never accepts a token lower than one it accepted",
            Property::WriteEventuallyAccepted => "a lease holder's write is eventually accepted",
            Property::ClockCondition => "a happened before b implies C(a) < C(b)",
            Property::EveryRequestAnswered => "every request is eventually answered once the partition heals",
            Property::AnsweredWithinOneSecond => "every request is answered within 1 s of being sent",
            Property::CrashEventuallySuspected => "a crashed node is eventually suspected by every live node",
            Property::NoFalseSuspicion => "a live node is never suspected",
            Property::Agreement => "no two nodes decide different values",
            Property::Termination => "every correct node eventually decides",
            Property::DecidesProposedValue => "a node only decides a value some node proposed",
        }
    }
}

impl std::fmt::Display for Property {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}
