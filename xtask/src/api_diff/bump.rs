//! The version bump a set of changes implies, and applying it to a version.

/// The version bump a set of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    /// 0.x (Cargo's semver): breaking -> minor, anything else -> patch; from 1.0, breaking ->
    /// major, additive -> minor.
    pub fn implied(breaking: bool, any: bool, version: &str) -> Bump {
        let pre_1 = version.starts_with("0.");
        match (any, breaking, pre_1) {
            (false, _, _) => Bump::None,
            (true, true, true) => Bump::Minor,
            (true, true, false) => Bump::Major,
            (true, false, true) => Bump::Patch,
            (true, false, false) => Bump::Minor,
        }
    }

    /// `version` bumped (`0.1.0` -> `0.2.0`); `None` if it is not `x.y.z`.
    pub fn apply(self, version: &str) -> Option<String> {
        let core = version.split(['-', '+']).next()?;
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        Some(match self {
            Bump::None => format!("{major}.{minor}.{patch}"),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        })
    }

    pub fn word(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_follow_0x_rules() {
        assert_eq!(
            Bump::implied(true, true, "0.1.0").apply("0.1.0").unwrap(),
            "0.2.0"
        );
        assert_eq!(
            Bump::implied(false, true, "0.1.0").apply("0.1.0").unwrap(),
            "0.1.1"
        );
        assert_eq!(
            Bump::implied(true, true, "1.2.3").apply("1.2.3").unwrap(),
            "2.0.0"
        );
        assert_eq!(Bump::implied(false, false, "0.1.0"), Bump::None);
    }
}
