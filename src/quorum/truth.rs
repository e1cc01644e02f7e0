//! The reference answers the graders compare with (crate-private).

use crate::world::NodeId;

/// The smallest number of nodes such that any two such sets of `n` nodes share one: a majority.
pub(crate) fn quorum_size(n: usize) -> usize {
    n / 2 + 1
}

/// Whether a side of `side_len` of `n` nodes can still elect a leader (it holds a majority).
pub(crate) fn may_elect(side_len: usize, n: usize) -> bool {
    side_len >= quorum_size(n)
}

/// Raft's vote rule: grant to a candidate whose term is newer than ours, or equal to ours when
/// we have not voted in it yet (or voted for this very candidate: its request was repeated).
pub(crate) fn grant_vote(my_term: u64, voted_for: Option<NodeId>, candidate: NodeId, candidate_term: u64) -> bool {
    candidate_term > my_term || (candidate_term == my_term && voted_for.is_none_or(|v| v == candidate))
}
