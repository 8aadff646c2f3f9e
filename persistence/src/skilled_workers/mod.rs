//! Priority area 4: skilled-worker networks, their events (and the public calendar),
//! employer consultations with their referrals, and accelerated skilled-worker procedures.
//! (Named for the area rather than `networks`, which `structure::networks` is: the regional
//! networks of the programme.)

pub mod accelerated;
pub mod consultations;
pub mod events;
pub mod networks;
