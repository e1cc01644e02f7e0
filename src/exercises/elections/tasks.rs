//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};

/// Task `quorum_size`.
pub const QUORUM_SIZE: Task<Answers> = Task {
    name: "quorum_size",
    grade: |c, a, seed| grade::grade_quorum_size(c, a.quorum_size, seed),
    mistakes: &[
        Mistake {
            what: "half, rounded down: two halves of an even cluster share nobody",
            why: "two quorums must share a node: take ⌊n/2⌋ + 1, more than half",
            apply: |a| a.quorum_size = |n| n / 2,
        },
        Mistake {
            what: "half, rounded up: right for odd n, two disjoint halves for even n",
            why: "for even n, n/2 + n/2 = n leaves two disjoint halves: take ⌊n/2⌋ + 1",
            apply: |a| a.quorum_size = |n| n.div_ceil(2),
        },
        Mistake {
            what: "all nodes: intersects, but one crash stops every election",
            why: "the smallest size that intersects survives the most crashes: ⌊n/2⌋ + 1, not n",
            apply: |a| a.quorum_size = |n| n,
        },
    ],
};

/// Task `may_elect`.
pub const MAY_ELECT: Task<Answers> = Task {
    name: "may_elect",
    grade: |c, a, seed| grade::grade_may_elect(c, a.may_elect, seed),
    mistakes: &[
        Mistake {
            what: "half is enough (>= for >): both halves of an even split elect",
            why: "exactly half is not a majority: elect only when 2·side_len > n",
            apply: |a| a.may_elect = |s, n| 2 * s >= n,
        },
        Mistake {
            what: "one more than needed: a bare majority is refused",
            why: "any side with more than half of the nodes is alone in having a majority: 2·side_len > n",
            apply: |a| a.may_elect = |s, n| s > n / 2 + 1,
        },
    ],
};

/// Task `grant_vote`.
pub const GRANT_VOTE: Task<Answers> = Task {
    name: "grant_vote",
    grade: |c, a, seed| grade::grade_grant_vote(c, a.grant_vote, seed),
    mistakes: &[
        Mistake {
            what: "votes twice in a term: grants every candidate not behind it",
            why: "one vote per term: grant only if voted_for is None or already this candidate",
            apply: |a| a.grant_vote = |my, _, _, t| t >= my,
        },
        Mistake {
            what: "votes for a stale candidate: ignores the terms",
            why: "a vote for an older term lets a stale candidate win: refuse candidate_term < my_term",
            apply: |a| a.grant_vote = |_, v, c, _| v.is_none_or(|v| v == c),
        },
        Mistake {
            what: "never votes: nobody is ever elected",
            why: "a newer term's candidate must get votes, or no leader is ever elected",
            apply: |a| a.grant_vote = |_, _, _, _| false,
        },
    ],
};

/// Task `timeout_range`.
pub const TIMEOUT_RANGE: Task<Answers> = Task {
    name: "timeout_range",
    grade: |c, a, seed| grade::grade_timeout_range(c, a.timeout_range, seed),
    mistakes: &[
        Mistake {
            what: "no randomness: every follower times out together and the votes split",
            why: "randomise the timeout so that one follower usually times out first and wins alone",
            apply: |a| a.timeout_range = |h, _| (3.0 * h, 3.0 * h),
        },
        Mistake {
            what: "a 1 ms spread: still too narrow to break ties",
            why: "the spread must exceed a vote's round trip, so one candidate collects a quorum before the next starts",
            apply: |a| a.timeout_range = |h, _| (3.0 * h, 3.0 * h + 0.001),
        },
        Mistake {
            what: "too short: a follower calls an election while its leader is alive",
            why: "min_s ≥ 3·heartbeat_s: two lost heartbeats must not depose a live leader",
            apply: |a| a.timeout_range = |h, _| (h, 2.0 * h),
        },
        Mistake {
            what: "far too wide: elections wait for slow timeouts",
            why: "the first follower to time out wins: keep max_s a few heartbeats above min_s",
            apply: |a| a.timeout_range = |h, _| (3.0 * h, 30.0 * h),
        },
    ],
};

/// All tasks, in order.
pub const TASKS: &[Task<Answers>] = &[QUORUM_SIZE, MAY_ELECT, GRANT_VOTE, TIMEOUT_RANGE];
