//! Which spec a record was generated from: its version, publication date and hash.

use serde::{Deserialize, Serialize};

/// Which spec the API was generated from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecInfo {
    /// `info.version`.
    pub version: String,
    /// When the vendor published it (`--spec-date`; otherwise the day it was first generated).
    pub date: String,
    /// The first 12 hex digits of the SHA-256 of the spec file: the same spec, the same date.
    pub sha256: String,
}

impl SpecInfo {
    /// `1.0.0 of 2026-08-07`, how notes and reports name a spec.
    pub fn label(&self) -> String {
        format!("{} of {}", self.version, self.date)
    }
}

/// The first 12 hex digits of the SHA-256 of `bytes`.
pub fn sha256_prefix(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_672), "2026-08-07");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
