//! A server in a process of its own, for the tests that must show a rule holds across API
//! instances that share nothing but the database (capacity under two processes).
//!
//! The test binary is its own server: started with `IQNET_TEST_SERVE` set, `main` serves
//! instead of running trials, so no other binary has to be built or found. The child prints the
//! address it listens on as its first line, and exits when its stdin closes, so it cannot
//! outlive the test even when the test process is killed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, ExitCode, Stdio};

use iqnet_conventions::config::Settings;

const SERVE: &str = "IQNET_TEST_SERVE";

/// In a child started by [`spawn`]: serves until stdin closes, and returns its exit code.
/// Otherwise `None`, and the binary runs its trials.
pub fn serve_if_asked() -> Option<ExitCode> {
    std::env::var_os(SERVE)?;
    Some(match serve() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("test server process: {e}");
            ExitCode::FAILURE
        }
    })
}

fn serve() -> Result<(), String> {
    let settings = Settings::from_lookup(|k| std::env::var(k).ok())?;
    std::thread::spawn(|| {
        // EOF (or an error) on stdin: the parent is gone or done with us.
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    actix_web::rt::System::new().block_on(async move {
        let state = iqnet_api::server::prepare(settings)?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let mut out = std::io::stdout();
        writeln!(out, "{address}")
            .and_then(|()| out.flush())
            .map_err(|e| e.to_string())?;
        iqnet_api::server::serve(state, listener)
            .map_err(|e| e.to_string())?
            .await
            .map_err(|e| e.to_string())
    })
}

/// A server process of this binary with the settings `vars`; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the process and waits until it listens.
pub fn spawn(vars: &HashMap<String, String>) -> Result<ServerProcess, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .envs(vars)
        .env(SERVE, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start a server process: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let address = line.trim();
    if address.is_empty() {
        let status = child.wait().map_err(|e| e.to_string())?;
        return Err(format!(
            "the server process ended before listening ({status})"
        ));
    }
    Ok(ServerProcess {
        base: format!("http://{address}"),
        child,
    })
}
