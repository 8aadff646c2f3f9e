//! Priority area 1 through HTTP, one file per resource: the advice-centre directory, advice
//! seekers, counselling cases, recognition procedures with their legal deadlines, referrals and
//! consent, a seeker's journey, and who may access it (tenancy and the audit log).

mod access;
mod cases;
mod centres;
mod journey;
mod procedures;
mod referrals;
mod seekers;

pub(crate) fn trials() -> Vec<libtest_mimic::Trial> {
    [
        centres::trials(),
        seekers::trials(),
        cases::trials(),
        procedures::trials(),
        referrals::trials(),
        journey::trials(),
        access::trials(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
