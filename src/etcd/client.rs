//! A thin blocking client of etcd's JSON gateway, for the calls the lab needs.

use super::json::{b64, header_revision, int, uint, unb64};
use super::txn::{Txn, TxnReply};
use super::{EtcdError, Result, loopback};
use serde_json::{Value, json};
use std::time::Duration;

/// One key as etcd stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    /// The key.
    pub key: Vec<u8>,
    /// Its value.
    pub value: Vec<u8>,
    /// The revision that created it: a lock key's fencing token.
    pub create_revision: i64,
    /// The revision of its last write.
    pub mod_revision: i64,
    /// Writes since it was created (1 after the first).
    pub version: i64,
    /// The lease it is attached to (0: none).
    pub lease: i64,
}

impl KeyValue {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(KeyValue {
            key: unb64(v, "key")?,
            value: unb64(v, "value")?,
            create_revision: int(v, "create_revision")?,
            mod_revision: int(v, "mod_revision")?,
            version: int(v, "version")?,
            lease: int(v, "lease")?,
        })
    }

    /// The first key of a range answer (`kvs` is left out when nothing matched).
    pub(crate) fn first_of(range: &Value) -> Result<Option<Self>, String> {
        match range.get("kvs").and_then(Value::as_array).and_then(|a| a.first()) {
            Some(kv) => Ok(Some(Self::from_json(kv)?)),
            None => Ok(None),
        }
    }

    /// The value as text (lossy).
    pub fn value_str(&self) -> String {
        String::from_utf8_lossy(&self.value).into_owned()
    }
}

/// What a read returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeReply {
    /// The store's revision when it was read.
    pub revision: i64,
    /// The key, if it exists.
    pub kv: Option<KeyValue>,
}

/// A member's view of the cluster (`maintenance/status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// This member's id (64 bits: never round it through a float).
    pub member_id: u64,
    /// The id of the member it believes leads (0: none known).
    pub leader: u64,
    /// Its Raft term.
    pub raft_term: u64,
    /// The store's revision it has applied.
    pub revision: i64,
    /// etcd's version, e.g. `"3.4.23"`.
    pub version: String,
}

impl Status {
    /// Whether this member believes it is the leader.
    pub fn is_leader(&self) -> bool {
        self.member_id != 0 && self.member_id == self.leader
    }
}

/// A lease granted by `lease/grant`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseGrant {
    /// Its id: what a put's `lease` takes.
    pub id: i64,
    /// Its time to live as granted, seconds (etcd may raise a short request).
    pub ttl_s: i64,
}

/// What `lease/timetolive` says about a lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseTtl {
    /// Seconds it has left; -1 when it has expired or was revoked.
    pub ttl_s: i64,
    /// The TTL it was granted with, seconds (0 once gone).
    pub granted_ttl_s: i64,
}

/// A blocking client of one member's JSON gateway (`http://127.0.0.1:port/v3/...`). Every call
/// has a timeout; the client refuses any address that is not loopback.
#[derive(Debug, Clone)]
pub struct Client {
    endpoint: String,
    agent: ureq::Agent,
}

impl Client {
    /// A client of the member at `address` (`127.0.0.1:12379` or `http://127.0.0.1:12379`),
    /// each call bounded by `timeout`. Fails with [`EtcdError::NotLoopback`] for any address
    /// that is not on this machine's loopback.
    pub fn new(address: &str, timeout: Duration) -> Result<Client> {
        let addr = loopback(address)?;
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .proxy(None)
            .build();
        Ok(Client {
            endpoint: format!("http://{addr}"),
            agent: config.into(),
        })
    }

    /// The member's client URL, `http://127.0.0.1:port`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// POSTs `body` to `path` and returns the JSON answer, or etcd's error.
    fn call(&self, path: &'static str, body: &Value) -> Result<Value> {
        let http = |message: String| EtcdError::Http {
            endpoint: self.endpoint.clone(),
            path,
            message,
        };
        let url = format!("{}{path}", self.endpoint);
        let mut resp = self
            .agent
            .post(&url)
            .header("content-type", "application/json")
            .send(body.to_string())
            .map_err(|e| http(e.to_string()))?;
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().map_err(|e| http(e.to_string()))?;
        // A streaming call (lease/keepalive) answers one JSON object per line.
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let v: Value = serde_json::from_str(first).map_err(|e| EtcdError::Reply {
            endpoint: self.endpoint.clone(),
            path,
            message: format!("HTTP {status}, not JSON ({e}): {}", clip(&text)),
        })?;
        let v = v.get("result").cloned().unwrap_or(v);
        if let Some(err) = v.get("error") {
            return Err(EtcdError::Server {
                endpoint: self.endpoint.clone(),
                path,
                code: v.get("code").and_then(Value::as_i64).unwrap_or(-1),
                message: v
                    .get("message")
                    .and_then(Value::as_str)
                    .map_or_else(|| err.to_string(), str::to_string),
            });
        }
        if status != 200 {
            return Err(http(format!("HTTP {status}: {}", clip(&text))));
        }
        Ok(v)
    }

    fn reply<T>(&self, path: &'static str, r: std::result::Result<T, String>) -> Result<T> {
        r.map_err(|message| EtcdError::Reply {
            endpoint: self.endpoint.clone(),
            path,
            message,
        })
    }

    /// This member's status: its id, the leader it knows, its term.
    pub fn status(&self) -> Result<Status> {
        const P: &str = "/v3/maintenance/status";
        let v = self.call(P, &json!({}))?;
        let header = v.get("header").cloned().unwrap_or(Value::Null);
        self.reply(
            P,
            (|| {
                Ok(Status {
                    member_id: uint(&header, "member_id")?,
                    leader: uint(&v, "leader")?,
                    raft_term: uint(&v, "raftTerm")?,
                    revision: int(&header, "revision")?,
                    version: v.get("version").and_then(Value::as_str).unwrap_or("").to_string(),
                })
            })(),
        )
    }

    /// Writes `value` under `key` (attached to `lease_id` unless 0); returns the new revision.
    pub fn put(&self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>, lease_id: i64) -> Result<i64> {
        const P: &str = "/v3/kv/put";
        let mut body = json!({ "key": b64(key.as_ref()), "value": b64(value.as_ref()) });
        if lease_id != 0 {
            body["lease"] = json!(lease_id.to_string());
        }
        let v = self.call(P, &body)?;
        self.reply(P, header_revision(&v))
    }

    /// Reads `key`: linearizably (through the leader, the latest value) unless `serializable`
    /// (this member's local copy, which may be stale).
    pub fn get(&self, key: impl AsRef<[u8]>, serializable: bool) -> Result<RangeReply> {
        const P: &str = "/v3/kv/range";
        let mut body = json!({ "key": b64(key.as_ref()) });
        if serializable {
            body["serializable"] = json!(true);
        }
        let v = self.call(P, &body)?;
        self.reply(
            P,
            (|| {
                Ok(RangeReply {
                    revision: header_revision(&v)?,
                    kv: KeyValue::first_of(&v)?,
                })
            })(),
        )
    }

    /// Runs a transaction.
    pub fn txn(&self, txn: &Txn) -> Result<TxnReply> {
        const P: &str = "/v3/kv/txn";
        let v = self.call(P, &txn.to_json())?;
        self.reply(P, TxnReply::from_json(&v))
    }

    /// Grants a lease of `ttl_s` seconds.
    pub fn lease_grant(&self, ttl_s: i64) -> Result<LeaseGrant> {
        const P: &str = "/v3/lease/grant";
        let v = self.call(P, &json!({ "TTL": ttl_s.to_string() }))?;
        self.reply(
            P,
            (|| {
                Ok(LeaseGrant {
                    id: int(&v, "ID")?,
                    ttl_s: int(&v, "TTL")?,
                })
            })(),
        )
    }

    /// Renews a lease once; returns the seconds it now has (0: it had already expired).
    pub fn lease_keepalive(&self, lease_id: i64) -> Result<i64> {
        const P: &str = "/v3/lease/keepalive";
        let v = self.call(P, &json!({ "ID": lease_id.to_string() }))?;
        self.reply(P, int(&v, "TTL"))
    }

    /// How long a lease has left.
    pub fn lease_time_to_live(&self, lease_id: i64) -> Result<LeaseTtl> {
        const P: &str = "/v3/lease/timetolive";
        let v = self.call(P, &json!({ "ID": lease_id.to_string() }))?;
        self.reply(
            P,
            (|| {
                Ok(LeaseTtl {
                    ttl_s: int(&v, "TTL")?,
                    granted_ttl_s: int(&v, "grantedTTL")?,
                })
            })(),
        )
    }

    /// Revokes a lease: its keys are deleted at once.
    pub fn lease_revoke(&self, lease_id: i64) -> Result<()> {
        const P: &str = "/v3/lease/revoke";
        self.call(P, &json!({ "ID": lease_id.to_string() })).map(|_| ())
    }
}

/// At most 300 characters of a reply, for an error message.
fn clip(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    if t.len() < text.len() { format!("{t}…") } else { t }
}
