//! Native tests of the Myers diff behind policy diffs and text splices: the
//! runs rebuild the new sequence, and their edits are as few as an LCS allows.
#![cfg(not(target_arch = "wasm32"))]

use charter::workspace::diff::{DiffOp, diff};
use proptest::prelude::*;

/// The new sequence rebuilt from the old one and the runs.
fn apply(old: &[u8], new: &[u8], ops: &[DiffOp]) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut at_old, mut at_new) = (0, 0);
    for op in ops {
        match *op {
            DiffOp::Equal {
                old: o,
                new: n,
                len,
            } => {
                assert_eq!((o, n), (at_old, at_new), "runs are contiguous");
                assert_eq!(old[o..o + len], new[n..n + len], "equal runs are equal");
                out.extend_from_slice(&old[o..o + len]);
                at_old += len;
                at_new += len;
            }
            DiffOp::Change {
                old: o,
                old_len,
                new: n,
                new_len,
            } => {
                assert_eq!((o, n), (at_old, at_new), "runs are contiguous");
                assert!(old_len + new_len > 0, "no empty change");
                out.extend_from_slice(&new[n..n + new_len]);
                at_old += old_len;
                at_new += new_len;
            }
        }
    }
    assert_eq!((at_old, at_new), (old.len(), new.len()), "runs cover both");
    out
}

/// Length of a longest common subsequence, by dynamic programming.
fn lcs(a: &[u8], b: &[u8]) -> usize {
    let mut row = vec![0; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Elements kept unchanged by the runs.
fn kept(ops: &[DiffOp]) -> usize {
    ops.iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            DiffOp::Change { .. } => 0,
        })
        .sum()
}

#[test]
fn small_cases() {
    assert_eq!(diff::<u8>(&[], &[]), []);
    assert_eq!(
        diff(b"abc", b"abc"),
        [DiffOp::Equal {
            old: 0,
            new: 0,
            len: 3
        }]
    );
    assert_eq!(
        diff(b"", b"xy"),
        [DiffOp::Change {
            old: 0,
            old_len: 0,
            new: 0,
            new_len: 2
        }]
    );
    assert_eq!(
        diff(b"abcd", b"axcd"),
        [
            DiffOp::Equal {
                old: 0,
                new: 0,
                len: 1
            },
            DiffOp::Change {
                old: 1,
                old_len: 1,
                new: 1,
                new_len: 1
            },
            DiffOp::Equal {
                old: 2,
                new: 2,
                len: 2
            },
        ]
    );
}

#[test]
fn a_huge_rewrite_becomes_one_change() {
    let old: Vec<u8> = (0..5_000u32).map(|i| (i % 7) as u8).collect();
    let new: Vec<u8> = (0..5_000u32).map(|i| (i % 11) as u8 + 20).collect();
    let ops = diff(&old, &new);
    assert_eq!(apply(&old, &new, &ops), new);
    assert_eq!(ops.len(), 1);
}

proptest! {
    #[test]
    fn runs_rebuild_the_new_text_with_fewest_edits(
        old in proptest::collection::vec(0u8..4, 0..40),
        new in proptest::collection::vec(0u8..4, 0..40),
    ) {
        let ops = diff(&old, &new);
        prop_assert_eq!(apply(&old, &new, &ops), new.clone());
        prop_assert_eq!(kept(&ops), lcs(&old, &new));
    }
}
