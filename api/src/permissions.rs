//! Who may do what: the named role sets every handler passes to `principal.require(..)`. One
//! place to read the whole policy; anything finer (scope, tenancy) is checked on the record.

use iqnet_shared::structure::Role;

/// Manage the network's structure (organisations, sub-projects, users, machine clients) within
/// their scope: national admins everywhere, coordinators in their regional network.
pub const STRUCTURE_MANAGERS: &[Role] = &[Role::NationalAdmin, Role::NetworkCoordinator];

/// Change the regional networks themselves.
pub const NETWORK_ADMINS: &[Role] = &[Role::NationalAdmin];

/// See staff accounts at all.
pub const ACCOUNT_READERS: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
];

/// The roles a coordinator may hand out, inside their network.
pub const COORDINATOR_GRANTS: &[Role] =
    &[Role::NetworkCoordinator, Role::Counsellor, Role::Trainer];

/// The machine clients a coordinator may create, inside their network: partner clients. Also the
/// only ones it sees and manages; any other client (an analyst's) is a 404 to it.
pub const COORDINATOR_CLIENT_GRANTS: &[Role] = &[Role::Partner];

/// The roles of the accounts (`grants`: users or machine clients) that `caller_role` may manage:
/// a coordinator those it may grant, anyone else every role (their scope limits them further).
pub fn manageable(caller_role: Role, grants: &'static [Role]) -> &'static [Role] {
    if caller_role == Role::NetworkCoordinator {
        grants
    } else {
        Role::ALL
    }
}

/// Work with advice seekers' personal data and the advice-centre directory (never analysts;
/// partners only through referrals).
pub const COUNSELLING_STAFF: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
];

/// Read a seeker's audit log: who saw their data.
pub const AUDIT_READERS: &[Role] = &[Role::NationalAdmin, Role::NetworkCoordinator];

/// Everyone who can belong to a referring or a receiving organisation.
pub const REFERRAL_PARTIES: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
    Role::Partner,
];

/// Manage bridge-training measures: providers' staff (trainers) for their own organisation,
/// coordinators in their network, national admins everywhere (the scope limits each).
pub const MEASURE_MANAGERS: &[Role] =
    &[Role::NationalAdmin, Role::NetworkCoordinator, Role::Trainer];

/// See and act on enrolments: the seeker's counselling staff, and the measure's provider (who
/// sees who the person is only with the seeker's consent to sharing).
pub const ENROLMENT_PARTIES: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
];

/// Found skilled-worker networks and manage their membership (area 4): national admins
/// everywhere, coordinators in their regional network; the coordinating organisation's staff
/// also manage the members of its own network.
pub const SKILLED_WORKER_NETWORK_MANAGERS: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
];

/// Act for a skilled-worker network (events, employer consultations, accelerated procedures):
/// the staff and machine clients of its coordinating and member organisations, and the
/// coordinators of its regional network (the record decides which network, `ensure_party`).
pub const SKILLED_WORKER_NETWORK_PARTIES: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
    Role::Partner,
];

/// Read a skilled-worker network's report (aggregates only): its parties, and analysts.
pub const SKILLED_WORKER_REPORT_READERS: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
    Role::Partner,
    Role::Analyst,
];

/// Manage intercultural trainings (and record their participation and questionnaires): the
/// provider's trainers for their own organisation, coordinators in their network, national
/// admins everywhere (the scope limits each).
pub const TRAINING_MANAGERS: &[Role] =
    &[Role::NationalAdmin, Role::NetworkCoordinator, Role::Trainer];

/// Register an organisation for places in a training, and see its registrations: staff and
/// machine clients of any organisation, for their own (the training's provider sees all).
pub const REGISTRANTS: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
    Role::Partner,
];

/// Read a training's participation counts and evaluation figures (aggregates, no personal
/// data): its provider's staff and coordinators in their scope, analysts and admins everywhere.
pub const TRAINING_FIGURES_READERS: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Trainer,
    Role::Analyst,
];

/// Start and record the steps of opening processes: the accompanying provider's trainers,
/// coordinators in their network, national admins.
pub const OPENING_MANAGERS: &[Role] =
    &[Role::NationalAdmin, Role::NetworkCoordinator, Role::Trainer];

/// See opening processes: besides the managers, the staff and machine clients of the
/// organisation opening itself (its own process only).
pub const OPENING_PARTIES: &[Role] = &[
    Role::NationalAdmin,
    Role::NetworkCoordinator,
    Role::Counsellor,
    Role::Trainer,
    Role::Partner,
];
