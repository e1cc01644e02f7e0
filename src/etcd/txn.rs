//! Transactions: compares, then the operations of the branch they select.
//!
//! ```
//! use faultline::etcd::{Compare, CompareOp, Txn, TxnOp};
//! // Take the lock only if nobody holds it (its key was never created, or was deleted).
//! let take = Txn::new()
//!     .when(Compare::create_revision("lock/res", CompareOp::Equal, 0))
//!     .then(TxnOp::put("lock/res", "client A").with_lease(42))
//!     .otherwise(TxnOp::get("lock/res"));
//! assert_eq!(take.compare.len(), 1);
//! ```

use super::client::KeyValue;
use super::json::{b64, int};
use serde_json::{Value, json};

/// How a compare relates the key's field to the given value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// field == value.
    Equal,
    /// field != value.
    NotEqual,
    /// field > value.
    Greater,
    /// field < value.
    Less,
}

/// Which field of a key a compare reads, with the value it is compared to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareTarget {
    /// The revision at which the key was created (0: the key does not exist). The lock's
    /// fencing token.
    CreateRevision(i64),
    /// The revision of the key's last modification.
    ModRevision(i64),
    /// How many times the key was written since it was created.
    Version(i64),
    /// The key's value, compared byte-wise (so numbers must be zero-padded to compare).
    Value(Vec<u8>),
    /// The lease the key is attached to (0: none).
    Lease(i64),
}

/// One condition of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    /// The key.
    pub key: Vec<u8>,
    /// The relation.
    pub op: CompareOp,
    /// The field and the value it is compared to.
    pub target: CompareTarget,
}

impl Compare {
    /// Compares the key's create revision (its lock token; 0 when absent).
    pub fn create_revision(key: impl AsRef<[u8]>, op: CompareOp, revision: i64) -> Self {
        Self::new(key, op, CompareTarget::CreateRevision(revision))
    }

    /// Compares the key's last-modification revision.
    pub fn mod_revision(key: impl AsRef<[u8]>, op: CompareOp, revision: i64) -> Self {
        Self::new(key, op, CompareTarget::ModRevision(revision))
    }

    /// Compares the key's value byte-wise.
    pub fn value(key: impl AsRef<[u8]>, op: CompareOp, value: impl AsRef<[u8]>) -> Self {
        Self::new(key, op, CompareTarget::Value(value.as_ref().to_vec()))
    }

    /// Any compare.
    pub fn new(key: impl AsRef<[u8]>, op: CompareOp, target: CompareTarget) -> Self {
        Compare {
            key: key.as_ref().to_vec(),
            op,
            target,
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let result = match self.op {
            CompareOp::Equal => "EQUAL",
            CompareOp::NotEqual => "NOT_EQUAL",
            CompareOp::Greater => "GREATER",
            CompareOp::Less => "LESS",
        };
        let mut v = json!({ "result": result, "key": b64(&self.key) });
        let (target, field, value) = match &self.target {
            CompareTarget::CreateRevision(r) => ("CREATE", "create_revision", json!(r.to_string())),
            CompareTarget::ModRevision(r) => ("MOD", "mod_revision", json!(r.to_string())),
            CompareTarget::Version(n) => ("VERSION", "version", json!(n.to_string())),
            CompareTarget::Value(b) => ("VALUE", "value", json!(b64(b))),
            CompareTarget::Lease(l) => ("LEASE", "lease", json!(l.to_string())),
        };
        v["target"] = json!(target);
        v[field] = value;
        v
    }
}

/// One operation inside a transaction branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnOp {
    /// Writes `value` under `key`, attached to `lease` unless 0.
    Put {
        /// The key.
        key: Vec<u8>,
        /// The value.
        value: Vec<u8>,
        /// The lease id (0: none).
        lease: i64,
    },
    /// Reads `key` (linearizably).
    Get {
        /// The key.
        key: Vec<u8>,
    },
    /// Deletes `key`.
    Delete {
        /// The key.
        key: Vec<u8>,
    },
}

impl TxnOp {
    /// A put without a lease.
    pub fn put(key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Self {
        TxnOp::Put {
            key: key.as_ref().to_vec(),
            value: value.as_ref().to_vec(),
            lease: 0,
        }
    }

    /// The same put, attached to `lease` (ignored for other operations).
    pub fn with_lease(self, lease_id: i64) -> Self {
        match self {
            TxnOp::Put { key, value, .. } => TxnOp::Put {
                key,
                value,
                lease: lease_id,
            },
            other => other,
        }
    }

    /// A read of one key.
    pub fn get(key: impl AsRef<[u8]>) -> Self {
        TxnOp::Get {
            key: key.as_ref().to_vec(),
        }
    }

    /// A delete of one key.
    pub fn delete(key: impl AsRef<[u8]>) -> Self {
        TxnOp::Delete {
            key: key.as_ref().to_vec(),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        match self {
            TxnOp::Put { key, value, lease } => {
                let mut put = json!({ "key": b64(key), "value": b64(value) });
                if *lease != 0 {
                    put["lease"] = json!(lease.to_string());
                }
                json!({ "request_put": put })
            }
            TxnOp::Get { key } => json!({ "request_range": { "key": b64(key) } }),
            TxnOp::Delete { key } => json!({ "request_delete_range": { "key": b64(key) } }),
        }
    }
}

/// A transaction: if every compare holds, the `success` operations run, else the `failure`
/// ones, atomically at one revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Txn {
    /// The conditions, all of which must hold.
    pub compare: Vec<Compare>,
    /// What runs when they do.
    pub success: Vec<TxnOp>,
    /// What runs when one does not.
    pub failure: Vec<TxnOp>,
}

impl Txn {
    /// An empty transaction (no compares: it always succeeds).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a condition.
    pub fn when(mut self, c: Compare) -> Self {
        self.compare.push(c);
        self
    }

    /// Adds an operation to the success branch.
    pub fn then(mut self, op: TxnOp) -> Self {
        self.success.push(op);
        self
    }

    /// Adds an operation to the failure branch.
    pub fn otherwise(mut self, op: TxnOp) -> Self {
        self.failure.push(op);
        self
    }

    pub(crate) fn to_json(&self) -> Value {
        let list = |ops: &[TxnOp]| ops.iter().map(TxnOp::to_json).collect::<Vec<_>>();
        json!({
            "compare": self.compare.iter().map(Compare::to_json).collect::<Vec<_>>(),
            "success": list(&self.success),
            "failure": list(&self.failure),
        })
    }
}

/// The answer to one operation of the branch that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpReply {
    /// A put.
    Put,
    /// A read: the key, if it exists.
    Get(Option<KeyValue>),
    /// A delete: how many keys it removed.
    Delete(i64),
}

/// What a transaction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnReply {
    /// Whether every compare held (the gateway leaves the field out when false).
    pub succeeded: bool,
    /// The store's revision after the transaction.
    pub revision: i64,
    /// One answer per operation of the branch that ran.
    pub replies: Vec<OpReply>,
}

impl TxnReply {
    pub(crate) fn from_json(v: &Value) -> Result<Self, String> {
        let succeeded = match v.get("succeeded") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => return Err(format!("`succeeded` should be true or false, got {other}")),
        };
        let mut replies = Vec::new();
        for r in v.get("responses").and_then(Value::as_array).into_iter().flatten() {
            replies.push(if r.get("response_put").is_some() {
                OpReply::Put
            } else if let Some(range) = r.get("response_range") {
                OpReply::Get(KeyValue::first_of(range)?)
            } else if let Some(del) = r.get("response_delete_range") {
                OpReply::Delete(int(del, "deleted")?)
            } else {
                return Err(format!("an operation's answer of unknown kind: {r}"));
            });
        }
        Ok(TxnReply {
            succeeded,
            revision: super::json::header_revision(v)?,
            replies,
        })
    }
}
