//! The network's structure: regional networks, organisations, sub-projects, staff users and
//! machine clients. One module per entity.

pub mod api_clients;
pub mod networks;
pub mod organisations;
pub mod sub_projects;
pub mod users;
