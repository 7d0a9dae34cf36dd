//! Writing generated files atomically, and comparing them with what is committed.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use similar::TextDiff;

/// A generated file: where it goes (relative to the output root) and what it holds.
pub struct Output {
    pub path: PathBuf,
    pub contents: String,
}

/// Writes each output whose contents changed; unchanged files are not touched (their mtime
/// stays, so cargo does not rebuild). Returns the paths written.
pub fn write_all(root: &Path, outputs: &[Output]) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for output in outputs {
        let path = root.join(&output.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(output.contents.as_str()) {
            continue;
        }
        write_atomically(&path, &output.contents)?;
        written.push(output.path.clone());
    }
    Ok(written)
}

/// Write to a sibling temporary file, then rename: readers never see half a file, and a failure
/// leaves the old file in place.
fn write_atomically(path: &Path, contents: &str) -> Result<()> {
    let dir = path
        .parent()
        .context("output path has no parent directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file_name = path
        .file_name()
        .context("output path has no file name")?
        .to_string_lossy();
    let temp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, contents)
        .with_context(|| format!("cannot write {}", temp.display()))
        .and_then(|()| {
            std::fs::rename(&temp, path)
                .with_context(|| format!("cannot replace {}", path.display()))
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Unified diffs of every output that differs from the file on disk (empty when all are current).
pub fn stale(root: &Path, outputs: &[Output]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|output| {
            let current = std::fs::read_to_string(root.join(&output.path)).unwrap_or_default();
            if current == output.contents {
                return None;
            }
            let name = output.path.display().to_string();
            let diff = TextDiff::from_lines(&current, &output.contents)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("a/{name} (committed)"),
                    &format!("b/{name} (generated)"),
                )
                .to_string();
            Some(diff)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: &str, contents: &str) -> Output {
        Output {
            path: PathBuf::from(path),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn writes_only_changed_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = [output("a/x.rs", "one\n"), output("y.rs", "two\n")];
        assert_eq!(write_all(dir.path(), &outputs).unwrap().len(), 2);
        assert_eq!(write_all(dir.path(), &outputs).unwrap().len(), 0);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a/x.rs")).unwrap(),
            "one\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["x.rs"]);
    }

    #[test]
    fn stale_reports_a_unified_diff() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("g.rs"), "keep\nold\n").unwrap();
        let diffs = stale(dir.path(), &[output("g.rs", "keep\nnew\n")]);
        assert_eq!(diffs.len(), 1);
        assert!(
            diffs[0].contains("-old\n") && diffs[0].contains("+new\n"),
            "{}",
            diffs[0]
        );
        assert!(stale(dir.path(), &[output("g.rs", "keep\nold\n")]).is_empty());
    }
}
