//! Priority area 4: regional skilled-worker networks for immigration: stakeholder networks with
//! their members, network events (and the public calendar they feed), employer consultations
//! with referrals to network members, and the employer-driven accelerated skilled-worker
//! procedure (§ 81a AufenthG) with its milestones.
//!
//! Pure domain: no HTTP, no SQL. Who may act on a network's records is decided from the network
//! (`SkilledWorkerNetwork::is_party`); the API checks the caller against it.

pub mod accelerated;
pub mod consultation;
pub mod event;
pub mod network;
pub mod records;
pub mod report;
pub mod vocabulary;
