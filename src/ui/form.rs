//! Labelled form fields with an inline message slot, shared by every form.

use leptos::prelude::*;

use crate::ui::OpenWorkspace;
use crate::workspace::changes::Area;
use crate::workspace::{CommandError, Field};

/// A labelled text input (or text area) whose message is announced and
/// tied to the input with `aria-describedby`.
#[component]
pub fn TextField(
    /// The element id; unique on the page.
    id: String,
    /// The visible label, which is also the accessible name.
    label: &'static str,
    /// The value, read and written as the person types.
    value: RwSignal<String>,
    /// The problem to show under the field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A short hint shown under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// A multi-line text area instead of a one-line input.
    #[prop(optional)]
    multiline: bool,
    /// Placeholder text showing the expected format.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// The virtual keyboard to offer on touch devices.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// Marks the field as optional in its label.
    #[prop(optional)]
    optional: bool,
    /// Receives the input element, so a form can focus it.
    #[prop(optional)]
    node_ref: Option<NodeRef<leptos::html::Input>>,
) -> impl IntoView {
    let message_id = format!("{id}-message");
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_some() {
        format!("{hint_id} {message_id}")
    } else {
        message_id.clone()
    };
    let invalid = move || error.with(Option::is_some).to_string();
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                rows="3"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=described_by.clone()
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                node_ref=node_ref.unwrap_or_default()
                type="text"
                placeholder=placeholder
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=described_by.clone()
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id.clone()>
                {label}
                {optional.then(|| view! { <span class="optional">" (optional)"</span> })}
            </label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{h}</p> })}
            {control}
            <p id=message_id class="field-message error">{move || error.get()}</p>
        </div>
    }
}

/// A labelled select whose message is announced and tied to it with
/// `aria-describedby`, like [`TextField`]. The first option, with an empty
/// value, says what choosing nothing means.
#[component]
pub fn SelectField(
    /// The element id; unique on the page.
    id: String,
    /// The visible label, which is also the accessible name.
    label: &'static str,
    /// The chosen option's value ("" for none).
    value: RwSignal<String>,
    /// The options, as (value, text), in the order shown.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The text of the empty first option ("Not set", "Choose…").
    empty: &'static str,
    /// The problem to show under the field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A hint shown under the label, when there is one.
    #[prop(optional, into)]
    hint: Signal<Option<String>>,
    /// Marks the field as optional in its label.
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let message_id = format!("{id}-message");
    let hint_id = format!("{id}-hint");
    let described_by = format!("{hint_id} {message_id}");
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id.clone()>
                {label}
                {optional.then(|| view! { <span class="optional">" (optional)"</span> })}
            </label>
            <p id=hint_id class="hint" class:hidden=move || hint.with(Option::is_none)>
                {move || hint.get()}
            </p>
            <select
                id=id
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described_by
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" selected=move || value.with(String::is_empty)>{empty}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(key, text)| {
                            let selected = value.with(|v| *v == key);
                            view! { <option value=key selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <p id=message_id class="field-message error">{move || error.get()}</p>
        </div>
    }
}

/// The people of the open workspace as select options (id, name), by name.
pub fn people_options(ws: OpenWorkspace) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        ws.state.read(&[Area::People], |s| {
            let mut list: Vec<(String, String)> = s
                .people
                .iter()
                .filter(|(_, p)| p.archived.is_none())
                .map(|(id, p)| (id.clone(), p.name.clone()))
                .collect();
            crate::workspace::model::sort_list(&mut list, |a, b| {
                a.1.to_lowercase().cmp(&b.1.to_lowercase())
            });
            list
        })
    })
}

/// The name of person `id` in the open workspace, if they exist.
pub fn person_name(ws: OpenWorkspace, id: &str) -> Option<String> {
    ws.state.record(Area::People, id, |s| {
        s.people.get(id).map(|p| p.name.clone())
    })
}

/// One archived record as the archived list shows it.
#[derive(Clone, PartialEq)]
pub struct ArchivedRecord {
    /// The record's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it was archived.
    pub at: crate::workspace::Millis,
    /// Who archived it.
    pub by: String,
}

/// The archived ones among `(id, name, archived)`, oldest archiving first.
pub fn archived_records<'a>(
    items: impl Iterator<
        Item = (
            &'a String,
            String,
            Option<&'a crate::workspace::model::Archived>,
        ),
    >,
) -> Vec<ArchivedRecord> {
    let mut list: Vec<ArchivedRecord> = items
        .filter_map(|(id, name, archived)| {
            archived.map(|a| ArchivedRecord {
                id: id.clone(),
                name,
                at: a.at,
                by: a.by.clone(),
            })
        })
        .collect();
    crate::workspace::model::sort_list(&mut list, |a, b| a.at.cmp(&b.at));
    list
}

/// The archived records of a list, folded away under their count, each with
/// "Restore": archived records are kept as evidence, not destroyed.
#[component]
pub fn ArchivedList(
    /// What they are ("people", "roles", "programmes").
    what: &'static str,
    /// The archived records, oldest first.
    #[prop(into)]
    records: Signal<Vec<ArchivedRecord>>,
    /// Restores the record with the given id.
    on_restore: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    view! {
        <Show when=move || !records.with(Vec::is_empty)>
            <details class="archived-list">
                <summary>{move || format!("Archived {what} ({})", records.with(Vec::len))}</summary>
                <ul aria-label=format!("Archived {what}")>
                    {move || {
                        records
                            .get()
                            .into_iter()
                            .map(|r| {
                                let day = crate::ui::locale::day_at(r.at);
                                let id = r.id.clone();
                                view! {
                                    <li aria-label=r.name.clone()>
                                        <span>{r.name.clone()}</span>
                                        <span class="muted">{format!(" · archived on {day} by {}", r.by)}</span>
                                        <button
                                            type="button"
                                            class="link-button"
                                            class:hidden=move || ws.read_only.get()
                                            aria-label=format!("Restore {}", r.name)
                                            on:click=move |_| on_restore.run(id.clone())
                                        >
                                            "Restore"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </details>
        </Show>
    }
}

/// What went wrong with a form's last submit: a message per field, or a
/// failure that concerns the whole form (storage, a record deleted meanwhile).
#[derive(Clone, Copy)]
pub struct FormErrors(RwSignal<Option<CommandError>>);

impl FormErrors {
    /// No errors yet.
    pub fn new() -> FormErrors {
        FormErrors(RwSignal::new(None))
    }

    /// Records the outcome of a submit (`None` clears every message).
    pub fn set(&self, error: Option<CommandError>) {
        self.0.set(error);
    }

    /// The message to show under `field`.
    pub fn field(&self, field: Field) -> Signal<Option<String>> {
        let errors = self.0;
        Signal::derive(move || match errors.get().as_ref() {
            Some(CommandError::Invalid(e)) => e.message(field).map(str::to_owned),
            _ => None,
        })
    }

    /// Shows the outcome of a submit: clears every message, or shows the new
    /// ones and moves the focus to the first field that needs attention.
    pub fn show(&self, outcome: Result<(), CommandError>, form: NodeRef<leptos::html::Form>) {
        match outcome {
            Ok(()) => self.set(None),
            Err(e) => {
                self.set(Some(e));
                focus_first_invalid(form);
            }
        }
    }

    /// The message for the form as a whole, if the failure is not about one field.
    pub fn other(&self) -> Option<String> {
        match self.0.get() {
            Some(CommandError::Invalid(_)) | None => None,
            Some(e) => Some(e.to_string()),
        }
    }
}

/// Focuses a form's first field as soon as the form is shown.
pub fn focus_on_open(input: NodeRef<leptos::html::Input>) {
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
}

/// Moves the focus to the first field marked invalid, once it is rendered.
pub fn focus_first_invalid(form: NodeRef<leptos::html::Form>) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(form) = form.get_untracked() else {
            return;
        };
        if let Ok(Some(field)) = form.query_selector("[aria-invalid='true']")
            && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = field.focus();
        }
    });
}

/// Closes a form when Escape is pressed inside it. A form with changes
/// asks first ("Discard the changes?"), with Keep editing focused, so a
/// stray Escape never loses what was typed; Escape again keeps editing.
pub fn cancel_on_escape(
    on_cancel: Callback<()>,
) -> impl FnMut(leptos::ev::KeyboardEvent) + 'static {
    move |ev| {
        use wasm_bindgen::JsCast;
        if ev.key() != "Escape" {
            return;
        }
        ev.prevent_default();
        let form = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
        let Some(form) = form.filter(|f| f.get_attribute(CHANGED).as_deref() == Some("true"))
        else {
            on_cancel.run(());
            return;
        };
        if let Ok(Some(question)) = form.query_selector(".discard-question") {
            // Asked already: Escape again answers "Keep editing".
            question.remove();
            focus_first_field(&form);
            return;
        }
        ask_before_discarding(&form, on_cancel);
    }
}

/// The attribute [`watch_form_changes`] sets on a form once something in it changed.
const CHANGED: &str = "data-changed";

/// Marks every form in which the person types or chooses something as
/// changed, for [`cancel_on_escape`]; installed once for the whole page.
pub fn watch_form_changes() {
    use wasm_bindgen::JsCast;
    let mark = |ev: web_sys::Event| {
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("form").ok().flatten());
        if let Some(form) = form {
            let _ = form.set_attribute(CHANGED, "true");
        }
    };
    for event in ["input", "change"] {
        let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(mark);
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let _ = document.add_event_listener_with_callback_and_bool(
                event,
                listener.as_ref().unchecked_ref(),
                true,
            );
        }
        listener.forget();
    }
}

/// Adds the question "Discard the changes?" at the end of `form`.
fn ask_before_discarding(form: &web_sys::HtmlElement, on_cancel: Callback<()>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        on_cancel.run(());
        return;
    };
    let build = || -> Result<web_sys::HtmlElement, wasm_bindgen::JsValue> {
        let question: web_sys::HtmlElement = document.create_element("div")?.unchecked_into();
        question.set_class_name("notice warning discard-question");
        question.set_attribute("role", "group")?;
        question.set_attribute("aria-label", "Discard changes?")?;
        let text = document.create_element("p")?;
        text.set_text_content(Some("Discard the changes in this form?"));
        question.append_child(&text)?;
        let actions = document.create_element("div")?;
        actions.set_class_name("actions");
        let discard: web_sys::HtmlElement = document.create_element("button")?.unchecked_into();
        discard.set_attribute("type", "button")?;
        discard.set_class_name("danger");
        discard.set_text_content(Some("Discard changes"));
        let keep: web_sys::HtmlElement = document.create_element("button")?.unchecked_into();
        keep.set_attribute("type", "button")?;
        keep.set_text_content(Some("Keep editing"));
        let on_discard = Closure::once_into_js(move || on_cancel.run(()));
        discard.add_event_listener_with_callback("click", on_discard.unchecked_ref())?;
        let asked = question.clone();
        let owner = form.clone();
        let on_keep = Closure::once_into_js(move || {
            asked.remove();
            focus_first_field(&owner);
        });
        keep.add_event_listener_with_callback("click", on_keep.unchecked_ref())?;
        actions.append_child(&discard)?;
        actions.append_child(&keep)?;
        question.append_child(&actions)?;
        form.append_child(&question)?;
        let _ = keep.focus();
        Ok(question)
    };
    if build().is_err() {
        on_cancel.run(());
    }
}

/// Focuses the first field of `form`, where typing goes on.
fn focus_first_field(form: &web_sys::HtmlElement) {
    use wasm_bindgen::JsCast;
    if let Ok(Some(field)) =
        form.query_selector("input, textarea, select, [contenteditable='true']")
        && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = field.focus();
    }
}

/// The calm placeholder a list shows while it has nothing in it.
#[component]
pub fn EmptyState(
    /// What is missing ("No objectives yet").
    title: &'static str,
    /// What to do about it.
    hint: &'static str,
    /// Hides the placeholder (while the add form is open).
    #[prop(into, optional)]
    hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="empty-state" class:hidden=hidden>
            <p class="empty-title">{title}</p>
            <p class="muted">{hint}</p>
        </div>
    }
}

/// Whether this participant may change the workspace now (it has arrived and
/// was not opened read-only).
pub fn editable(ws: OpenWorkspace) -> bool {
    !ws.read_only.get() && ws.state.read(&[Area::Meta], |s| s.meta.created_at != 0)
}

/// Focuses a button once the view has settled (it may be re-rendered first).
pub fn focus_later(button: NodeRef<leptos::html::Button>) {
    request_animation_frame(move || {
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    });
}

/// Brings the record `id` (an element `record-<id>`) into view once it is
/// drawn, and moves the focus to its heading, so a new record is where the
/// person's attention goes.
pub fn scroll_to_record(id: &str) {
    let element_id = format!("record-{id}");
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(record) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&element_id))
        else {
            return;
        };
        record.scroll_into_view();
        if let Ok(Some(heading)) = record.query_selector("h3, h4")
            && let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>()
        {
            heading.set_tab_index(-1);
            let _ = heading.focus();
        }
    });
}

/// Focuses the button whose accessible name is `label` once the view has
/// settled; for buttons that a re-render replaces, so a `NodeRef` would be stale.
pub fn focus_button_labelled(label: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(buttons) = document.query_selector_all("button[aria-label]") else {
            return;
        };
        for i in 0..buttons.length() {
            if let Some(button) = buttons
                .item(i)
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                && button.get_attribute("aria-label").as_deref() == Some(label.as_str())
            {
                let _ = button.focus();
                return;
            }
        }
    });
}

/// A prefix for element ids, unique for each edit form on the page.
pub fn id_prefix(new: &'static str, is_new: bool) -> String {
    if is_new {
        new.to_owned()
    } else {
        format!("edit-{}", crate::workspace::id::new_id(crate::ui::now()))
    }
}

/// A message about the last failed change, shown until the next one succeeds.
pub fn problem_notice(problem: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        problem
            .get()
            .map(|p| view! { <p class="notice error" role="alert">{p}</p> })
    }
}

/// The end of a form: a message about a failure that concerns the whole form,
/// then the primary save button and Cancel.
#[component]
pub fn FormActions(
    /// The form's errors; only those not about one field are shown here.
    errors: FormErrors,
    /// The save button's text ("Save objective").
    #[prop(into)]
    save: String,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        {move || errors.other().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        <div class="actions">
            <button type="submit" class="primary">{save}</button>
            <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
        </div>
    }
}

/// The message after a deletion, with Undo and a way to dismiss it.
#[component]
pub fn UndoToast(
    /// What was deleted ("Deleted “Phishing click rate”."), or nothing to hide the message.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// Puts the deleted record back.
    on_undo: Callback<()>,
    /// Hides the message.
    on_dismiss: Callback<()>,
) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <div class="toast" role="status">
                    <span>{text}</span>
                    <button type="button" class="link-button" on:click=move |_| on_undo.run(())>
                        "Undo"
                    </button>
                    <button
                        type="button"
                        class="link-button quiet"
                        aria-label="Dismiss"
                        on:click=move |_| on_dismiss.run(())
                    >
                        "✕"
                    </button>
                </div>
            }
        })
    }
}

/// A section's primary "Add …" button, shown only to those who may edit and
/// disabled while its form is open.
#[component]
pub fn AddButton(
    /// The button's text ("Add person").
    label: &'static str,
    /// Whether the add form is open.
    adding: RwSignal<bool>,
    /// Opens the form.
    on_click: Callback<()>,
    /// Receives the button, so focus can return to it when the form closes.
    #[prop(optional)]
    node_ref: Option<NodeRef<leptos::html::Button>>,
    /// Hides the button for other reasons too (a filtered list).
    #[prop(into, optional)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    view! {
        <Show when=move || editable(ws) && !hidden.get()>
            <button
                type="button"
                class="primary"
                node_ref=node_ref.unwrap_or_default()
                on:click=move |_| on_click.run(())
                prop:disabled=adding
            >
                {label}
            </button>
        </Show>
    }
}

/// What a section's record list keeps between renders: whether its add form
/// is open, which record is being edited, the last failure to show, and the
/// Add button (the focus returns to it when the add form closes).
#[derive(Clone, Copy)]
pub struct ListState {
    /// Whether the add form is open.
    pub adding: RwSignal<bool>,
    /// The id of the record whose edit form is open.
    pub editing: RwSignal<Option<String>>,
    /// The last failed change made from the list, until the next one succeeds.
    pub problem: RwSignal<Option<String>>,
    /// The section's Add button.
    pub add_button: NodeRef<leptos::html::Button>,
}

impl ListState {
    /// Nothing open, nothing failed.
    pub fn new() -> ListState {
        ListState {
            adding: RwSignal::new(false),
            editing: RwSignal::new(None),
            problem: RwSignal::new(None),
            add_button: NodeRef::new(),
        }
    }

    /// Opens the add form, closing any edit form.
    pub fn open_add(self) {
        self.editing.set(None);
        self.adding.set(true);
    }

    /// Closes the add form (after saving or on cancel) and refocuses Add.
    pub fn close_add(self) {
        self.adding.set(false);
        self.problem.set(None);
        focus_later(self.add_button);
    }

    /// Shows why a change made from the list failed, or clears the last
    /// failure; gives back what the change returned.
    pub fn report<T>(self, outcome: Result<T, CommandError>) -> Option<T> {
        match outcome {
            Ok(value) => {
                self.problem.set(None);
                Some(value)
            }
            Err(e) => {
                self.problem.set(Some(e.to_string()));
                None
            }
        }
    }
}

/// The current roles of the open workspace as options (id, name), oldest first.
pub fn role_options(ws: OpenWorkspace) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        ws.state.read(&[Area::Roles], |s| {
            let mut list: Vec<_> = s
                .roles
                .iter()
                .filter(|(_, r)| r.archived.is_none())
                .collect();
            crate::workspace::model::sort_list(&mut list, |(a_id, a), (b_id, b)| {
                a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
            });
            list.into_iter()
                .map(|(id, r)| (id.clone(), r.kind.label().to_owned()))
                .collect()
        })
    })
}

/// A group of checkboxes with its legend: which of `options` are chosen.
#[component]
pub fn ChoiceList(
    /// The group's visible name, which is also its accessible name.
    legend: &'static str,
    /// The options, as (value, text), in the order shown.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The chosen values.
    chosen: RwSignal<Vec<String>>,
    /// What to say when there is nothing to choose from.
    empty: &'static str,
    /// Whether at least one must be chosen (the legend then does not say
    /// "optional").
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    view! {
        <fieldset class="choices">
            <legend>{legend} {(!required).then(|| view! { <span class="optional">" (optional)"</span> })}</legend>
            <Show
                when=move || !options.with(Vec::is_empty)
                fallback=move || view! { <p class="muted">{empty}</p> }
            >
                <For
                    each=move || options.get()
                    key=|option| option.clone()
                    children=move |(value, text)| {
                        let checked = {
                            let value = value.clone();
                            move || chosen.with(|c| c.contains(&value))
                        };
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|v| *v != value);
                                            if on {
                                                c.push(value.clone());
                                            }
                                        });
                                    }
                                />
                                {text}
                            </label>
                        }
                    }
                />
            </Show>
        </fieldset>
    }
}

/// Follows links to record `id` (`…#record-<id>`): when the page opens at
/// one, or the address changes to one, `on_linked` runs (to open the
/// record) and the record is brought into view with its heading focused.
pub fn follow_links(id: &str, on_linked: impl Fn() + 'static) {
    let anchor = format!("#record-{id}");
    let linked = {
        let anchor = anchor.clone();
        move || {
            web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .is_some_and(|hash| hash == anchor)
        }
    };
    let record = id.to_owned();
    let follow = move || {
        if linked() {
            on_linked();
            scroll_to_record(&record);
        }
    };
    let follow = std::rc::Rc::new(follow);
    follow();
    let listener = window_event_listener(leptos::ev::hashchange, {
        let follow = follow.clone();
        move |_| follow()
    });
    on_cleanup(move || listener.remove());
    // A link within the page (`<a href="#record-…">`) moves the router, which
    // changes the address without a `hashchange` event: follow its location
    // too, from its first change on.
    let hash = leptos_router::hooks::use_location().hash;
    Effect::new(move |seen: Option<String>| {
        // Read, not only tracked: a memo nobody reads never changes.
        let now = hash.get();
        if seen.is_some_and(|before| before != now) {
            follow();
        }
        now
    });
}

/// Once the page is drawn, brings the element the address's fragment names
/// (`#raci`) into view: a link from another page lands on the part it names.
pub fn scroll_to_fragment() {
    request_animation_frame(|| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let id = window.location().hash().unwrap_or_default();
        let Some(id) = id.strip_prefix('#').filter(|id| !id.is_empty()) else {
            return;
        };
        if let Some(element) = window.document().and_then(|d| d.get_element_by_id(id)) {
            element.scroll_into_view();
        }
    });
}
