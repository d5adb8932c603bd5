//! The live text editor: one component for every long text. Each keystroke,
//! paste, cut, deletion and finished IME composition becomes one splice in
//! the document at once (no Save button); what others type arrives in the
//! field while the caret and selection stay on the characters they were on;
//! others' carets show with their names; undo and redo take back only this
//! person's own edits.
//!
//! The field is a plain `<textarea>`. `shadow` is what it shows, and
//! `shadow_heads` the document heads that text was read at: a local edit is
//! the difference between the field and the shadow (placed by the caret);
//! a remote one is the difference between the state and the shadow, and the
//! caret is carried across it by Automerge cursors taken at the shadow's heads.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::sync::presence::Caret;
use crate::ui::Profile;
use crate::ui::session::OpenWorkspace;
use crate::workspace::model::sort_list;
use crate::workspace::text::{LongText, TextHistory, chars_to_utf16, local_edit, utf16_to_chars};

/// Edits `text` live. `value` is the text as the state has it.
#[component]
pub fn LiveText(
    /// Which text this edits.
    text: LongText,
    /// The textarea's element id; unique on the page.
    id: String,
    /// The visible label, which is also the accessible name.
    label: &'static str,
    /// A short hint shown under the label.
    hint: &'static str,
    /// The text as the state has it; changes with every edit, own or others'.
    #[prop(into)]
    value: Signal<String>,
    /// Why the text cannot be edited now (it is shown instead), if it cannot.
    #[prop(into)]
    locked: Signal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let area = NodeRef::<leptos::html::Textarea>::new();
    let initial = value.get_untracked();
    let shadow = StoredValue::new(initial.clone());
    let shadow_heads = StoredValue::new(ws.heads());
    let composing = StoredValue::new(false);
    let history = StoredValue::new(TextHistory::default());
    let target = StoredValue::new(text.clone());
    let key = text.key();
    let problem = RwSignal::new(None::<String>);

    // The field's selection in code points of the shadow.
    let selection = move || -> Option<(usize, usize)> {
        let el = area.get_untracked()?;
        let start = el.selection_start().ok().flatten()? as usize;
        let end = el.selection_end().ok().flatten()? as usize;
        Some(shadow.with_value(|s| (utf16_to_chars(s, start), utf16_to_chars(s, end))))
    };
    // Shows `text` in the field with the selection at `start..end` (code points).
    let show = move |text: String, start: usize, end: usize| {
        let Some(el) = area.get_untracked() else {
            return;
        };
        let (start16, end16) = (chars_to_utf16(&text, start), chars_to_utf16(&text, end));
        el.set_value(&text);
        let _ = el.set_selection_range(start16 as u32, end16 as u32);
        shadow.set_value(text);
        shadow_heads.set_value(ws.heads());
    };
    // Announces where the caret is (as cursors, so it stays on its characters).
    let announce_caret = {
        let key = key.clone();
        move || {
            let Some((start, end)) = selection() else {
                return;
            };
            let heads = shadow_heads.get_value();
            let caret = ws
                .read_doc(|doc| {
                    let text = target.get_value();
                    Ok(Caret {
                        text: key.clone(),
                        anchor: doc.text_cursor(&text, start, Some(&heads))?.to_string(),
                        head: doc.text_cursor(&text, end, Some(&heads))?.to_string(),
                    })
                })
                .ok();
            if ws.caret.get_untracked() != caret {
                ws.caret.set(caret);
                ws.send_presence_soon();
            }
        }
    };

    // Brings what others wrote into the field, keeping the caret on its characters.
    let take_remote = move |current: String| {
        if shadow.with_value(|s| *s == current) {
            return;
        }
        let (start, end) = selection().unwrap_or((0, 0));
        let heads = shadow_heads.get_value();
        let text = target.get_value();
        let moved = ws.read_doc(|doc| {
            let place = |pos: usize| doc.caret_now(&text, pos, &heads);
            Ok((place(start), place(end)))
        });
        let length = current.chars().count();
        let (start, end) = match moved {
            Ok((Some(s), Some(e))) => (s.min(length), e.min(length)),
            _ => (start.min(length), end.min(length)),
        };
        let scroll = area.get_untracked().map(|el| el.scroll_top());
        show(current, start, end);
        if let (Some(el), Some(scroll)) = (area.get_untracked(), scroll) {
            el.set_scroll_top(scroll);
            if let Some(layer) = el.next_element_sibling() {
                layer.set_scroll_top(scroll);
            }
        }
    };
    Effect::new(move |_| {
        let current = value.get();
        if !composing.get_value() {
            take_remote(current);
        }
    });

    // Sends what the person just did in the field as one splice.
    let commit_local = {
        let announce_caret = announce_caret.clone();
        move || {
            let Some(el) = area.get_untracked() else {
                return;
            };
            let typed = el.value();
            let caret16 = el.selection_end().ok().flatten().unwrap_or(0) as usize;
            let caret = utf16_to_chars(&typed, caret16);
            let Some(mut splice) = shadow.with_value(|old| local_edit(old, &typed, caret)) else {
                return;
            };
            let heads = shadow_heads.get_value();
            let text = target.get_value();
            let behind = ws.heads() != heads;
            let result = ws.run_quietly(&profile.author(), |doc, now| {
                if behind {
                    // Others' edits reached the document before the field
                    // showed them: place the splice by the characters it was
                    // made next to.
                    // Typing goes after the character it followed (so two
                    // people typing at one place keep their words whole); a
                    // deletion starts at the first character it removes.
                    let moved = if splice.deleted.is_empty() {
                        doc.caret_now(&text, splice.pos, &heads)
                    } else {
                        let cursor = doc.text_cursor(&text, splice.pos, Some(&heads))?;
                        doc.text_cursor_position(&text, &cursor)
                    };
                    splice.pos = moved.unwrap_or(splice.pos);
                }
                history
                    .try_update_value(|h| doc.edit_long_text(&text, &splice, h, now))
                    .unwrap_or(Ok(()))
            });
            match result {
                Ok(()) if !behind => {
                    problem.set(None);
                    shadow.set_value(typed);
                    shadow_heads.set_value(ws.heads());
                }
                Ok(()) => {
                    problem.set(None);
                    let end = splice.pos + splice.inserted.chars().count();
                    show(value.get_untracked(), end, end);
                }
                Err(e) => {
                    // Nothing was written: the field goes back to the document's text.
                    problem.set(Some(e.to_string()));
                    let at = splice.pos;
                    show(shadow.get_value(), at, at);
                }
            }
            announce_caret();
        }
    };

    let undo = move |redo: bool| {
        if composing.get_value() {
            return;
        }
        let current = shadow.get_value();
        let text = target.get_value();
        let result = ws.run_quietly(&profile.author(), |doc, now| {
            history
                .try_update_value(|h| {
                    if redo {
                        h.redo(doc, &text, &current, now)
                    } else {
                        h.undo(doc, &text, &current, now)
                    }
                })
                .unwrap_or(Ok(None))
        });
        match result {
            Ok(Some(caret)) => show(value.get_untracked(), caret, caret),
            Ok(None) => {}
            Err(e) => problem.set(Some(e.to_string())),
        }
    };

    let on_input = {
        let commit_local = commit_local.clone();
        move |ev: leptos::ev::Event| {
            let composing_now = ev
                .dyn_ref::<web_sys::InputEvent>()
                .is_some_and(web_sys::InputEvent::is_composing);
            if !composing_now && !composing.get_value() {
                commit_local();
            }
        }
    };
    let on_composition_end = {
        let commit_local = commit_local.clone();
        move |_| {
            composing.set_value(false);
            // The composed text arrives once, then whatever others wrote meanwhile.
            commit_local();
            take_remote(value.get_untracked());
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() {
            return;
        }
        match ev.key().to_lowercase().as_str() {
            "z" => {
                ev.prevent_default();
                undo(ev.shift_key());
            }
            "y" => {
                ev.prevent_default();
                undo(true);
            }
            _ => {}
        }
    };
    let on_before_input = move |ev: web_sys::InputEvent| match ev.input_type().as_str() {
        "historyUndo" => {
            ev.prevent_default();
            undo(false);
        }
        "historyRedo" => {
            ev.prevent_default();
            undo(true);
        }
        _ => {}
    };
    on_cleanup(move || {
        if ws.caret.try_get_untracked().flatten().is_some() {
            ws.caret.try_set(None);
            ws.send_presence_soon();
        }
    });

    // The carets' layer scrolls with the field.
    let follow_scroll = move |_: web_sys::Event| {
        if let Some(el) = area.get_untracked()
            && let Some(layer) = el.next_element_sibling()
        {
            layer.set_scroll_top(el.scroll_top());
        }
    };
    let hint_id = format!("{id}-hint");
    let message_id = format!("{id}-message");
    let (on_keyup, on_mouseup, on_select, on_focus) = {
        let (a, b, c, d) = (
            announce_caret.clone(),
            announce_caret.clone(),
            announce_caret.clone(),
            announce_caret,
        );
        (
            move |_: web_sys::KeyboardEvent| a(),
            move |_: web_sys::MouseEvent| b(),
            move |_: web_sys::Event| c(),
            move |_: web_sys::FocusEvent| d(),
        )
    };
    view! {
        <div class="field live-text">
            <label for=id.clone()>{label}</label>
            <p id=hint_id.clone() class="hint">{hint}</p>
            <div class="live-text-field">
                <textarea
                    id=id.clone()
                    node_ref=area
                    prop:value=initial
                    spellcheck="true"
                    aria-describedby=format!("{hint_id} {message_id}")
                    on:input=on_input
                    on:beforeinput=on_before_input
                    on:keydown=on_keydown
                    on:keyup=on_keyup
                    on:mouseup=on_mouseup
                    on:select=on_select
                    on:focus=on_focus
                    on:scroll=follow_scroll
                    prop:readOnly=move || locked.with(Option::is_some)
                    on:compositionstart=move |_| composing.set_value(true)
                    on:compositionend=on_composition_end
                ></textarea>
                <OthersCarets text=key.clone() value=value/>
            </div>
            <p id=message_id class="field-message error" role="alert">
                {move || locked.get().or_else(|| problem.get())}
            </p>
            <OthersHere text=key/>
        </div>
    }
}

/// The others' carets and selections in this text, drawn over the field: a
/// copy of the text laid out exactly like the field's, transparent but for
/// the marks.
#[component]
fn OthersCarets(text: String, value: Signal<String>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let target = StoredValue::new(text);
    let marks = move || {
        let others: Vec<_> = ws.peers.with(|peers| {
            peers
                .iter()
                .filter_map(|p| {
                    let caret = p.caret.as_ref()?;
                    (caret.text == target.get_value()).then(|| (p.clone(), caret.clone()))
                })
                .collect()
        });
        if others.is_empty() {
            return Vec::new();
        }
        let current = value.get();
        let text = current.chars().collect::<Vec<char>>();
        let Some(long_text) = LongText::from_key(&target.get_value()) else {
            return Vec::new();
        };
        let mut placed: Vec<(usize, usize, String, u8)> = others
            .into_iter()
            .filter_map(|(peer, caret)| {
                let at = |cursor: &str| {
                    let cursor = automerge::Cursor::try_from(cursor).ok()?;
                    ws.read_doc(|doc| Ok(doc.text_cursor_position(&long_text, &cursor)))
                        .ok()
                        .flatten()
                };
                let (a, b) = (at(&caret.anchor)?, at(&caret.head)?);
                Some((
                    a.min(b).min(text.len()),
                    a.max(b).min(text.len()),
                    peer.name,
                    peer.colour,
                ))
            })
            .collect();
        sort_list(&mut placed, |a, b| a.0.cmp(&b.0));
        // Text, then each mark, in order.
        let mut views = Vec::new();
        let mut pos = 0;
        for (start, end, name, colour) in placed {
            let start = start.max(pos);
            let end = end.max(start);
            views.push(text[pos..start].iter().collect::<String>().into_any());
            let selected: String = text[start..end].iter().collect();
            views.push(
                view! {
                    <span class=format!("caret-mark peer-line-{colour}")>
                        <span class=format!("caret-name peer-{colour}")>{name}</span>
                    </span>
                    <mark class=format!("remote-selection peer-soft-{colour}")>{selected}</mark>
                }
                .into_any(),
            );
            pos = end;
        }
        views.push(text[pos..].iter().collect::<String>().into_any());
        // A final newline needs something after it to take up its line.
        views.push("\u{200b}".into_any());
        views
    };
    view! { <div class="live-text-mirror" aria-hidden="true">{marks}</div> }
}

/// Who else is in this text, in words (the carets are only drawn).
#[component]
fn OthersHere(text: String) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let names = move || {
        ws.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| p.caret.as_ref().is_some_and(|c| c.text == text))
                .map(|p| (p.name.clone(), p.colour))
                .collect::<Vec<_>>()
        })
    };
    move || {
        let names = names();
        (!names.is_empty()).then(|| {
            let verb = if names.len() == 1 { "is" } else { "are" };
            let list = names
                .iter()
                .map(|(n, _)| if n.is_empty() { "Someone".to_owned() } else { n.clone() })
                .collect::<Vec<_>>()
                .join(" and ");
            view! {
                <p class="others-here">
                    {names
                        .iter()
                        .map(|(_, colour)| view! { <span class=format!("dot peer-{colour}") aria-hidden="true"></span> })
                        .collect_view()}
                    {format!("{list} {verb} also writing here.")}
                </p>
            }
        })
    }
}
