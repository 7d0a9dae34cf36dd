//! Bounds on what the generator reads, checked before parsing so that no input takes more than
//! a few seconds or a few hundred MiB: the YAML parser is quadratic in flow-collection nesting
//! (100,000 `[` took 79 s) and every later step walks the document recursively.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// The largest spec read (the largest public vendor specs are a few MiB).
pub const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

/// The deepest nesting of `[` and `{` accepted (real specs nest a few dozen levels).
pub const MAX_NESTING: usize = 256;

/// Reads `path` if it is no larger than [`MAX_SPEC_BYTES`].
pub fn read(path: &Path) -> Result<String> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read spec {}", path.display()))?
        .len();
    if size > MAX_SPEC_BYTES {
        bail!(
            "cannot read spec {}: it is {size} bytes, over the limit of {MAX_SPEC_BYTES}",
            path.display()
        );
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read spec {}", path.display()))
}

/// Fails on flow collections (`[`, `{`) nested deeper than [`MAX_NESTING`], naming the line;
/// brackets inside quoted strings and comments do not count.
pub fn check_nesting(text: &str) -> Result<()> {
    let mut depth = 0usize;
    for (number, line) in text.lines().enumerate() {
        let mut quote = None;
        let mut escaped = false;
        for c in line.chars() {
            match quote {
                Some(q) => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' && q == '"' {
                        escaped = true;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' => break,
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_NESTING {
                            bail!(
                                "line {}: collections nested deeper than {MAX_NESTING} levels",
                                number + 1
                            );
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_refused_with_its_line() {
        let deep = format!("a: 1\nb: {}\n", "[".repeat(MAX_NESTING + 1));
        let err = check_nesting(&deep).unwrap_err().to_string();
        assert!(err.starts_with("line 2:"), "{err}");
        let ok = format!(
            "b: {}{}\n",
            "[".repeat(MAX_NESTING),
            "]".repeat(MAX_NESTING)
        );
        check_nesting(&ok).unwrap();
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!(
            "a: \"{}\"\nb: '{}'\nc: 1 # {}\nd: \"\\\"[\"\n",
            "[".repeat(1000),
            "{".repeat(1000),
            "[".repeat(1000)
        );
        check_nesting(&text).unwrap();
    }
}
