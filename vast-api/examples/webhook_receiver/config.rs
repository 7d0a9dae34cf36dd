//! The receiver's command-line flags: where to listen and every limit.

use std::ffi::OsString;
use std::time::Duration;

use vast_api::webhook::DEFAULT_REPLAY_CAPACITY;

pub const USAGE: &str = "\
usage: VAST_WEBHOOK_SECRET=<secret>[,<old secret>] webhook_receiver [FLAGS]

  --listen ADDR               address to listen on (default 127.0.0.1:8787; port 0: any free port)
  --max-body-bytes N          largest body accepted, else 413 (default 1048576)
  --max-header-bytes N        largest request head (request line and headers), else 431 (default 16384)
  --max-headers N             most header fields in a request, else 431 (default 100)
  --header-timeout-secs S     time to send the request head, else the connection closes (default 10)
  --body-timeout-secs S       time to send the body, else 408 (default 10)
  --max-connections N         open connections at once; more are closed at once (default 1024)
  --max-events N              event ids remembered to recognise repeats (default 100000)";

/// Where to listen and how much any client may make the receiver spend.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub listen: String,
    pub max_body_bytes: usize,
    pub max_header_bytes: usize,
    pub max_headers: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub max_connections: usize,
    pub max_events: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8787".to_owned(),
            // Deliveries are small JSON documents.
            max_body_bytes: 1 << 20,
            max_header_bytes: 16 << 10,
            max_headers: 100,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_events: DEFAULT_REPLAY_CAPACITY,
        }
    }
}

impl Config {
    /// The configuration from the command-line arguments; `None` when help
    /// was asked for.
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Result<Option<Self>, String> {
        let mut config = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let arg = arg
                .into_string()
                .map_err(|_| format!("arguments must be UTF-8\n{USAGE}"))?;
            if matches!(arg.as_str(), "-h" | "--help") {
                return Ok(None);
            }
            let (flag, value) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), value.to_owned()),
                None => {
                    let value = args
                        .next()
                        .and_then(|value| value.into_string().ok())
                        .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
                    (arg, value)
                }
            };
            config.set(&flag, &value)?;
        }
        Ok(Some(config))
    }

    fn set(&mut self, flag: &str, value: &str) -> Result<(), String> {
        match flag {
            "--listen" => self.listen = value.to_owned(),
            "--max-body-bytes" => self.max_body_bytes = count(flag, value, 0)?,
            "--max-header-bytes" => self.max_header_bytes = count(flag, value, 1)?,
            "--max-headers" => self.max_headers = count(flag, value, 1)?,
            "--header-timeout-secs" => self.header_timeout = seconds(flag, value)?,
            "--body-timeout-secs" => self.body_timeout = seconds(flag, value)?,
            "--max-connections" => self.max_connections = count(flag, value, 1)?,
            "--max-events" => self.max_events = count(flag, value, 0)?,
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
        Ok(())
    }
}

fn count(flag: &str, value: &str, least: usize) -> Result<usize, String> {
    value
        .parse()
        .ok()
        .filter(|n| *n >= least)
        .ok_or_else(|| format!("{flag} needs a whole number of at least {least}\n{USAGE}"))
}

/// Capped at a day: deadlines far enough out would overflow `Instant`.
fn seconds(flag: &str, value: &str) -> Result<Duration, String> {
    value
        .parse()
        .ok()
        .filter(|secs: &f64| *secs > 0.0 && *secs <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("{flag} needs a number of seconds above 0 and at most 86400\n{USAGE}")
        })
}
