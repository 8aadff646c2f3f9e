//! Credential changes, as PostgreSQL announces them to every instance (the triggers of the
//! migration `credential_notifications`): a dedicated connection listens, and a callback hears
//! of each change, and of any time it may have missed one.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};

/// How often the listening connection is asked for news: the longest another instance may
/// still accept a token this one revoked.
const POLL: Duration = Duration::from_millis(2);
/// How long to wait before listening again after the connection failed.
const RETRY: Duration = Duration::from_secs(1);

/// What the listener tells its callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Listening (again): changes from now on are heard.
    Listening,
    /// Some credential changed.
    Changed,
    /// Nothing since the last poll (a chance to stop listening).
    Nothing,
    /// The connection failed: changes may go unheard until `Listening` again.
    Deaf,
}

/// Listens on a thread of its own for as long as `on` returns true (it returns false once
/// nobody needs to hear any more, e.g. the server it served has stopped).
pub fn listen(url: String, on: impl Fn(Heard) -> bool + Send + 'static) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("credential-changes".into())
        .spawn(move || {
            loop {
                match listen_once(&url, &on) {
                    Ok(()) => return,
                    Err(e) => log::warn!("not hearing credential changes ({e}); retrying"),
                }
                if !on(Heard::Deaf) {
                    return;
                }
                std::thread::sleep(RETRY);
            }
        })
        .map(drop)
}

/// Listens until `on` says stop (`Ok`) or the connection fails (`Err`).
fn listen_once(url: &str, on: &impl Fn(Heard) -> bool) -> Result<(), String> {
    let mut conn = PgConnection::establish(url).map_err(|e| e.to_string())?;
    diesel::sql_query("LISTEN iqnet_credentials")
        .execute(&mut conn)
        .map_err(|e| e.to_string())?;
    let mut heard = Heard::Listening;
    loop {
        if !on(heard) {
            return Ok(());
        }
        heard = Heard::Nothing;
        for notification in conn.notifications_iter() {
            notification.map_err(|e| e.to_string())?;
            heard = Heard::Changed;
        }
        std::thread::sleep(POLL);
    }
}
