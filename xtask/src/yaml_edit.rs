//! Deleting entries from the reviewed YAML files (corrections, additions) as text, so that
//! every other line, comment and blank line stays as the maintainer wrote it. A rewrite through
//! a YAML serialiser would lose the comments that carry the evidence.
//!
//! Each edit is checked: the edited text, parsed, must equal the original, parsed, without the
//! deleted entries; when it does not (a layout the line scan does not understand), the edit is
//! refused and the entries are to be deleted by hand.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use serde_json::Value;

/// `text` without the items at `indices` of the list under the top-level key `key`.
pub fn remove_list_items(text: &str, key: &str, indices: &BTreeSet<usize>) -> Result<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts = entry_starts(&lines, key, |rest| rest.starts_with("- ") || rest == "-")?;
    let edited = without(&lines, &starts, |i, _| indices.contains(&i));
    let edited = emptied(edited, key, starts.len() - 1 <= indices.len(), "[]");
    let mut expected = crate::spec::parse(text)?;
    if let Some(Value::Array(items)) = expected.get_mut(key) {
        let mut i = 0;
        items.retain(|_| {
            i += 1;
            !indices.contains(&(i - 1))
        });
    }
    verified(edited, expected, key)
}

/// `text` without the entries named `names` of the mapping under the top-level key `key`.
pub fn remove_map_entries(text: &str, key: &str, names: &BTreeSet<String>) -> Result<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts = entry_starts(&lines, key, |rest| !rest.starts_with('-'))?;
    let edited = without(&lines, &starts, |_, line| {
        let name = line.trim_start().split(':').next().unwrap_or_default();
        names.contains(name.trim_matches(|c| c == '"' || c == '\''))
    });
    let left = crate::spec::parse(&edited)
        .ok()
        .and_then(|doc| doc.get(key).and_then(Value::as_object).map(|m| m.len()));
    let edited = emptied(edited, key, left.is_none(), "{}");
    let mut expected = crate::spec::parse(text)?;
    if let Some(Value::Object(map)) = expected.get_mut(key) {
        map.retain(|name, _| !names.contains(name));
    }
    verified(edited, expected, key)
}

/// The line index where each entry of the collection under `key` starts, comment lines
/// directly above it included (they are about it), and the index just past the collection.
fn entry_starts(lines: &[&str], key: &str, is_entry: impl Fn(&str) -> bool) -> Result<Vec<usize>> {
    let header = format!("{key}:");
    let Some(at) = lines.iter().position(|line| line.trim_end() == header) else {
        bail!("no top-level `{key}:` line (with its entries on the lines below) to edit");
    };
    let mut starts = Vec::new();
    let mut indent = None;
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(at + 1) {
        let content = line.trim_end();
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let width = content.len() - trimmed.len();
        if width == 0 {
            end = i;
            break;
        }
        let indent = *indent.get_or_insert(width);
        if width == indent && is_entry(trimmed) {
            starts.push(i);
        }
    }
    let is_comment = |i: usize| lines[i].trim_start().starts_with('#');
    let mut bounds: Vec<usize> = starts
        .into_iter()
        .map(|mut start| {
            while start > at + 1 && is_comment(start - 1) {
                start -= 1;
            }
            start
        })
        .collect();
    // What stands between the last entry and the next top-level key (blank lines, that key's
    // own comments) is not part of the entry.
    let mut tail = end;
    while tail > at + 1 && {
        let t = lines[tail - 1].trim();
        t.is_empty() || (t.starts_with('#') && lines[tail - 1].starts_with('#'))
    } {
        tail -= 1;
    }
    bounds.push(tail);
    Ok(bounds)
}

/// The text with the entries `remove(i, first line)` picks left out, each with the blank lines
/// that follow it; when the entries left out run to the end of the collection, the blank lines
/// before them go too, so no blank line is left dangling.
fn without(lines: &[&str], bounds: &[usize], remove: impl Fn(usize, &str) -> bool) -> String {
    let mut drop = vec![false; lines.len()];
    let entries = bounds.len() - 1;
    let removed: Vec<bool> = (0..entries)
        .map(|i| {
            let first = (bounds[i]..bounds[i + 1])
                .find(|&l| !lines[l].trim_start().starts_with('#'))
                .unwrap_or(bounds[i]);
            remove(i, lines[first])
        })
        .collect();
    for i in 0..entries {
        if removed[i] {
            drop[bounds[i]..bounds[i + 1]]
                .iter_mut()
                .for_each(|d| *d = true);
        }
    }
    if let Some(last_kept) = removed.iter().rposition(|r| !r)
        && last_kept + 1 < entries
    {
        // The kept entry's trailing blank lines now precede what follows the collection.
        let mut l = bounds[last_kept + 1];
        while l > bounds[last_kept] && lines[l - 1].trim().is_empty() {
            drop[l - 1] = true;
            l -= 1;
        }
    }
    lines
        .iter()
        .zip(drop)
        .filter(|(_, dropped)| !dropped)
        .map(|(line, _)| *line)
        .collect()
}

/// A collection with no entry left is written `key: []` (or `{}`), not `key:` (which is null).
fn emptied(text: String, key: &str, all_gone: bool, empty: &str) -> String {
    if !all_gone {
        return text;
    }
    let header = format!("{key}:");
    text.split_inclusive('\n')
        .map(|line| {
            if line.trim_end() == header {
                format!("{header} {empty}\n")
            } else {
                line.to_owned()
            }
        })
        .collect()
}

fn verified(edited: String, expected: Value, key: &str) -> Result<String> {
    let parsed = crate::spec::parse(&edited).ok();
    if parsed.as_ref() != Some(&expected) {
        bail!(
            "deleting entries of `{key}` line by line did not give the expected document (an unusual layout); delete them by hand"
        );
    }
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# The header comment stays.
trailing_slash:
  evidence: x

corrections:
  - at: /a
    set: 1
    finding: first
    evidence: e

  # About the second.
  - at: /b
    remove: true
    finding: second
    evidence: >-
      folded
      text

  - at: /c
    keep: true
    finding: third
    evidence: e
";

    #[test]
    fn list_items_are_deleted_with_their_lines_only() {
        let one = remove_list_items(FILE, "corrections", &BTreeSet::from([1])).unwrap();
        assert_eq!(
            one,
            FILE.replace(
                "  # About the second.\n  - at: /b\n    remove: true\n    finding: second\n    evidence: >-\n      folded\n      text\n\n",
                ""
            )
        );
        let ends = remove_list_items(FILE, "corrections", &BTreeSet::from([0, 2])).unwrap();
        assert!(ends.contains("# About the second.\n  - at: /b"), "{ends}");
        assert!(!ends.contains("/a") && !ends.contains("/c"), "{ends}");
        assert!(
            ends.starts_with("# The header comment stays.\ntrailing_slash:"),
            "{ends}"
        );
        let all = remove_list_items(FILE, "corrections", &BTreeSet::from([0, 1, 2])).unwrap();
        assert!(!all.contains("- at:"), "{all}");
        assert!(all.ends_with("corrections: []\n"), "{all}");
    }

    #[test]
    fn map_entries_are_deleted_by_name() {
        let text = "additions: []\nschemas:\n  A:\n    type: string\n  B: {type: integer}\n  C:\n    type: object\nother: 1\n";
        let edited = remove_map_entries(
            text,
            "schemas",
            &BTreeSet::from(["B".to_owned(), "C".to_owned()]),
        )
        .unwrap();
        assert_eq!(
            edited,
            "additions: []\nschemas:\n  A:\n    type: string\nother: 1\n"
        );
    }

    #[test]
    fn a_layout_it_cannot_edit_is_refused() {
        // A flow-style list: the items are not lines of their own.
        let err = remove_list_items(
            "corrections: [{at: /a}, {at: /b}]\n",
            "corrections",
            &BTreeSet::from([0]),
        );
        assert!(err.is_err());
        let err = remove_list_items("other: 1\n", "corrections", &BTreeSet::from([0])).unwrap_err();
        assert!(
            err.to_string().contains("no top-level `corrections:`"),
            "{err}"
        );
    }
}
