//! A small Myers diff (E. Myers, "An O(ND) difference algorithm", 1986) for
//! policy texts: lines for the "changes since approval" view, characters for
//! the splices that write a text field. Written here rather than taken from a
//! crate because the app ships as WebAssembly and every kilobyte is paid by
//! each visitor.

/// One run of a diff from `old` to `new`; indexes count elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffOp {
    /// `len` elements equal in both, at `old` and `new`.
    Equal {
        /// Index in the old sequence.
        old: usize,
        /// Index in the new sequence.
        new: usize,
        /// How many elements.
        len: usize,
    },
    /// `old_len` elements at `old` replaced by `new_len` elements at `new`
    /// (either length may be zero, not both).
    Change {
        /// Index in the old sequence.
        old: usize,
        /// Elements removed.
        old_len: usize,
        /// Index in the new sequence.
        new: usize,
        /// Elements inserted.
        new_len: usize,
    },
}

/// Largest number of differences searched for exactly; beyond it the
/// differing middle is reported as one change (memory stays below a few MB).
const MAX_EDITS: usize = 1_000;

/// The runs that turn `old` into `new`, in order.
pub fn diff<T: PartialEq>(old: &[T], new: &[T]) -> Vec<DiffOp> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut runs = Runs::default();
    runs.equal(0, 0, prefix);
    match edit_path(a, b) {
        Some(steps) => {
            for step in steps {
                match step {
                    Step::Equal(i, j) => runs.equal(prefix + i, prefix + j, 1),
                    Step::Delete(i, j) => runs.change(prefix + i, 1, prefix + j, 0),
                    Step::Insert(i, j) => runs.change(prefix + i, 0, prefix + j, 1),
                }
            }
        }
        None => runs.change(prefix, a.len(), prefix, b.len()),
    }
    runs.equal(old.len() - suffix, new.len() - suffix, suffix);
    runs.0
}

/// Runs being collected; adjacent runs of one kind are joined.
#[derive(Default)]
struct Runs(Vec<DiffOp>);

impl Runs {
    fn equal(&mut self, old: usize, new: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(DiffOp::Equal { len: last, .. }) = self.0.last_mut() {
            *last += len;
        } else {
            self.0.push(DiffOp::Equal { old, new, len });
        }
    }

    fn change(&mut self, old: usize, old_len: usize, new: usize, new_len: usize) {
        if old_len == 0 && new_len == 0 {
            return;
        }
        if let Some(DiffOp::Change {
            old_len: o,
            new_len: n,
            ..
        }) = self.0.last_mut()
        {
            *o += old_len;
            *n += new_len;
        } else {
            self.0.push(DiffOp::Change {
                old,
                old_len,
                new,
                new_len,
            });
        }
    }
}

/// One step of an edit path, with the positions before it.
enum Step {
    Equal(usize, usize),
    Delete(usize, usize),
    Insert(usize, usize),
}

/// The shortest edit path from `a` to `b`, or `None` when it has more than
/// [`MAX_EDITS`] steps that are not equal.
fn edit_path<T: PartialEq>(a: &[T], b: &[T]) -> Option<Vec<Step>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_EDITS) as isize;
    let offset = max + 1;
    let mut v = vec![0isize; 2 * offset as usize + 1];
    // trace[d] is `v` before round d, for the walk back.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'rounds: for d in 0..=max {
        trace.push(v.clone());
        for k in (-d..=d).step_by(2) {
            let at = |k: isize| (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) {
                v[at(k + 1)]
            } else {
                v[at(k - 1)] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'rounds;
            }
        }
    }
    let depth = found?;
    let mut steps = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=depth).rev() {
        let v = &trace[d as usize];
        let at = |k: isize| (k + offset) as usize;
        let k = x - y;
        let previous = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) {
            k + 1
        } else {
            k - 1
        };
        let start_x = if d == 0 { 0 } else { v[at(previous)] };
        let start_y = if d == 0 { 0 } else { start_x - previous };
        while x > start_x && y > start_y {
            x -= 1;
            y -= 1;
            steps.push(Step::Equal(x as usize, y as usize));
        }
        if d > 0 {
            if x == start_x {
                y -= 1;
                steps.push(Step::Insert(x as usize, y as usize));
            } else {
                x -= 1;
                steps.push(Step::Delete(x as usize, y as usize));
            }
        }
    }
    steps.reverse();
    Some(steps)
}
