//! The general, event-driven queue simulator: a chain of FIFO stations on the
//! [`EventQueue`](crate::sim::EventQueue).
//!
//! Customers arrive at the first station with gaps drawn from one distribution, queue for one of
//! its `servers`, are served for a time drawn from the station's distribution, then move on to
//! the next station, and leave after the last. A station with a finite `capacity` (customers in
//! service plus waiting, like a switch port's output buffer) drops arrivals that find it full.
//!
//! Only external arrivals and service completions are events: moving on to the next station
//! happens at the completion, with no event of its own.

use std::collections::VecDeque;

use super::{arrival_rng, service_rng, validate_dists};
use crate::error::{Error, Result, check};
use crate::sim::{Dist, EventQueue, Limits, SimRng, Stop};

/// One station of a [`Network`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Station {
    /// Identical servers working in parallel from one FIFO queue (≥ 1).
    pub servers: u32,
    /// The most customers the station holds, in service and waiting (≥ 1); `None` for an
    /// infinite buffer.
    pub capacity: Option<u32>,
    /// Service-time distribution (no negative samples).
    pub service: Dist,
}

impl Station {
    /// One server, infinite buffer.
    pub fn single(service: Dist) -> Self {
        Station {
            servers: 1,
            capacity: None,
            service,
        }
    }
}

/// A chain of stations fed by one arrival process.
///
/// ```
/// use faultline::queueing::{Network, RunOptions};
/// let q = Network::mm1(0.5, 1.0).unwrap();
/// let out = q.run(10_000, 7, &RunOptions::default()).unwrap();
/// assert_eq!(out.completed, 10_000);
/// assert!((out.stations[0].mean_wait() - 1.0).abs() < 0.2); // theory: ρ/(μ−λ) = 1
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    interarrival: Dist,
    stations: Vec<Station>,
}

/// How to run a [`Network`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Keep every customer's waits and response time (for percentiles); off, only sums are kept.
    pub record: bool,
    /// Bounds on the run; `None` allows 2 events per customer per station plus slack, and
    /// no time limit.
    pub limits: Option<Limits>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            record: true,
            limits: None,
        }
    }
}

/// What happened at one station.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationStats {
    /// Customers that reached the station.
    pub arrivals: u64,
    /// Of those, how many found it full and were dropped.
    pub dropped: u64,
    /// Customers whose service started.
    pub started: u64,
    /// Sum of their waits in the queue.
    pub wait_sum: f64,
    /// Their waits in order of service start (which is arrival order: FIFO), if recorded.
    pub waits: Vec<f64>,
    /// Total time servers spent serving (customer-seconds of work done).
    pub busy_time: f64,
}

impl StationStats {
    /// Mean wait in the queue of the customers served.
    pub fn mean_wait(&self) -> f64 {
        self.wait_sum / self.started as f64
    }
    /// Fraction of arrivals dropped.
    pub fn drop_fraction(&self) -> f64 {
        self.dropped as f64 / self.arrivals as f64
    }
}

/// The result of a run: ground truth about every customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Customers that arrived from outside.
    pub arrived: u64,
    /// Customers that left the last station.
    pub completed: u64,
    /// Per station, in chain order.
    pub stations: Vec<StationStats>,
    /// Sum of the response times (arrival at the first station to leaving the last).
    pub response_sum: f64,
    /// Response times of completed customers, in completion order, if recorded.
    pub responses: Vec<f64>,
    /// Events handled.
    pub events: u64,
    /// Virtual time at the end.
    pub now: f64,
    /// Why the run stopped ([`Stop::Drained`] when every customer left or was dropped).
    pub stop: Stop,
}

impl Outcome {
    /// Mean response time of completed customers.
    pub fn mean_response(&self) -> f64 {
        self.response_sum / self.completed as f64
    }
    /// Customers dropped anywhere.
    pub fn dropped(&self) -> u64 {
        self.stations.iter().map(|s| s.dropped).sum()
    }
}

#[derive(Debug, Clone, Copy)]
struct Customer {
    born: f64,
    here_since: f64,
}

/// Kept small (16 bytes) because the heap moves events around: an external arrival needs
/// nothing but its time, a departure the station and when the customer entered the system.
#[derive(Debug, Clone, Copy)]
enum Event {
    Arrival,
    Departure { station: u32, born: f64 },
}

struct StationState {
    busy: u32,
    queue: VecDeque<Customer>,
    rng: SimRng,
}

impl Network {
    /// A chain of `stations` fed by arrivals with gaps drawn from `interarrival`.
    ///
    /// Errors: no stations ([`Error::Empty`]), zero servers or capacity, a distribution that can
    /// be negative, or a station with an infinite buffer offered ρ ≥ 1 ([`Error::Unstable`];
    /// judged on the external arrival rate, upstream drops ignored).
    pub fn new(interarrival: Dist, stations: Vec<Station>) -> Result<Self> {
        if stations.is_empty() {
            return Err(Error::Empty {
                what: "queue network",
                reason: "it needs at least one station",
            });
        }
        let services: Vec<Dist> = stations.iter().map(|s| s.service).collect();
        validate_dists(&interarrival, &services)?;
        let lambda = 1.0 / interarrival.mean();
        for s in &stations {
            check::at_least_one("servers", u64::from(s.servers))?;
            if let Some(k) = s.capacity {
                check::at_least_one("capacity", u64::from(k))?;
            } else {
                let rho = lambda * s.service.mean() / f64::from(s.servers);
                if rho >= 1.0 || rho.is_nan() {
                    return Err(Error::Unstable {
                        what: "station with an infinite buffer",
                        utilisation: rho,
                    });
                }
            }
        }
        Ok(Network { interarrival, stations })
    }

    /// M/M/1: Poisson arrivals at rate `lambda`, exponential service at rate `mu`.
    pub fn mm1(lambda: f64, mu: f64) -> Result<Self> {
        check::positive("λ (arrival rate)", lambda)?;
        check::positive("μ (service rate)", mu)?;
        Network::new(
            Dist::exponential(1.0 / lambda)?,
            vec![Station::single(Dist::exponential(1.0 / mu)?)],
        )
    }

    /// The stations, in order.
    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    /// Runs `customers` external arrivals through the chain (seeded), until every one has left
    /// or been dropped, or a limit is reached.
    pub fn run(&self, customers: u64, seed: u64, options: &RunOptions) -> Result<Outcome> {
        check::at_least_one("customers", customers)?;
        let n = self.stations.len();
        let limits = options.limits.unwrap_or(Limits {
            until: f64::INFINITY,
            max_events: customers.saturating_mul(2 * n as u64 + 1).saturating_add(16),
        });
        let mut states: Vec<StationState> = (0..n)
            .map(|i| StationState {
                busy: 0,
                queue: VecDeque::new(),
                rng: service_rng(seed, i as u64),
            })
            .collect();
        let mut stats: Vec<StationStats> = vec![StationStats::default(); n];
        let mut arrivals = arrival_rng(seed);
        let mut out = Outcome {
            arrived: 0,
            completed: 0,
            stations: Vec::new(),
            response_sum: 0.0,
            responses: Vec::new(),
            events: 0,
            now: 0.0,
            stop: Stop::Drained,
        };
        let record = options.record;
        let mut q: EventQueue<Event> = EventQueue::new();
        let first = self.interarrival.sample(&mut arrivals);
        q.schedule(first, Event::Arrival)?;
        out.arrived = 1;
        let stations = &self.stations;
        let interarrival = self.interarrival;

        // Starts serving `c` at station `i` now, recording its wait.
        let start = |q: &mut EventQueue<Event>,
                     st: &mut StationState,
                     stat: &mut StationStats,
                     i: usize,
                     c: Customer,
                     now: f64| {
            let wait = now - c.here_since;
            stat.started += 1;
            stat.wait_sum += wait;
            if record {
                stat.waits.push(wait);
            }
            let s = stations[i].service.sample(&mut st.rng);
            stat.busy_time += s;
            q.schedule(
                now + s,
                Event::Departure {
                    station: i as u32,
                    born: c.born,
                },
            )
            .expect("service times are validated non-negative");
        };
        // Customer `c` reaches station `i` now.
        let arrive = |q: &mut EventQueue<Event>,
                      states: &mut [StationState],
                      stats: &mut [StationStats],
                      i: usize,
                      mut c: Customer,
                      now: f64| {
            let (st, stat) = (&mut states[i], &mut stats[i]);
            stat.arrivals += 1;
            c.here_since = now;
            let present = st.busy as usize + st.queue.len();
            if stations[i].capacity.is_some_and(|k| present >= k as usize) {
                stat.dropped += 1;
            } else if st.busy < stations[i].servers {
                st.busy += 1;
                start(q, st, stat, i, c, now);
            } else {
                st.queue.push_back(c);
            }
        };

        let run = q.run(limits, |q, now, event| match event {
            Event::Arrival => {
                if out.arrived < customers {
                    let next = now + interarrival.sample(&mut arrivals);
                    q.schedule(next, Event::Arrival)
                        .expect("gaps are validated non-negative");
                    out.arrived += 1;
                }
                let c = Customer {
                    born: now,
                    here_since: now,
                };
                arrive(q, &mut states, &mut stats, 0, c, now);
            }
            Event::Departure { station, born } => {
                let station = station as usize;
                let customer = Customer { born, here_since: now };
                let st = &mut states[station];
                if let Some(next) = st.queue.pop_front() {
                    start(q, st, &mut stats[station], station, next, now);
                } else {
                    st.busy -= 1;
                }
                if station + 1 < n {
                    arrive(q, &mut states, &mut stats, station + 1, customer, now);
                } else {
                    out.completed += 1;
                    let r = now - customer.born;
                    out.response_sum += r;
                    if record {
                        out.responses.push(r);
                    }
                }
            }
        });
        out.events = run.events;
        out.now = run.now;
        out.stop = run.stop;
        out.stations = stats;
        Ok(out)
    }
}
