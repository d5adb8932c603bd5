//! History: every change to the workspace, newest first — who, when, what,
//! in words — filtered by person, area, date and words, fifty at a time; the
//! workspace as it was just after any change (read-only), and a deleted
//! objective or budget line put back with its fields.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::Workspace;
use crate::workspace::changes::Area;
use crate::workspace::history::{HistoryArea, HistoryEntry, HistoryWalk};
use crate::workspace::measurements::date_of;
use crate::workspace::model::sort_list;

/// Changes shown per "Show older changes".
const PAGE: usize = 50;
/// Changes looked at per page at most, so a filter that matches little
/// never makes the tab read the whole history at once.
const SCAN: usize = 2_000;

/// The time of a change in the person's language and time zone, with the zone:
/// "2 Dec 2026, 14:03 GMT".
fn when(at: i64) -> String {
    crate::ui::locale::moment(at)
}

/// The history page filtered to the changes whose messages name `title`:
/// a record's own history (messages name records by their title).
pub fn record_history(workspace: &str, title: &str) -> String {
    let words: String = js_sys::encode_uri_component(&format!("“{title}”")).into();
    format!("/w/{workspace}/history?q={words}")
}

/// What the filters ask for.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filter {
    person: String,
    area: Option<HistoryArea>,
    from: String,
    to: String,
    words: String,
}

impl Filter {
    fn keeps(&self, entry: &HistoryEntry, name: &str) -> bool {
        let day = date_of(entry.time);
        (self.person.is_empty() || name == self.person)
            && self.area.is_none_or(|a| a == entry.area)
            && (self.from.is_empty() || day >= self.from)
            && (self.to.is_empty() || day <= self.to)
            && (self.words.trim().is_empty()
                || entry
                    .message
                    .to_lowercase()
                    .contains(&self.words.trim().to_lowercase()))
    }
}

/// The history section of the open workspace.
#[component]
pub fn HistorySection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let query = use_query_map();
    let filter = RwSignal::new(Filter {
        words: query.with_untracked(|q| q.get("q").unwrap_or_default()),
        ..Default::default()
    });
    let walk = StoredValue::new_local(None::<HistoryWalk>);
    let entries = RwSignal::new(Vec::<HistoryEntry>::new());
    let done = RwSignal::new(false);
    let as_of = RwSignal::new(None::<(HistoryEntry, Result<Workspace, String>)>);
    // Actor id → the name recorded for it; read when a page is shown.
    let names = Memo::new(move |_| {
        ws.state.read(&[Area::Members], |s| {
            s.members
                .iter()
                .map(|(actor, m)| (actor.clone(), m.name.clone()))
                .collect::<std::collections::BTreeMap<_, _>>()
        })
    });
    let name_of = move |actor: &str| {
        names.with_untracked(|n| {
            n.get(actor)
                .filter(|name| !name.is_empty())
                .cloned()
                .unwrap_or_else(|| "Someone unnamed".to_owned())
        })
    };
    let more = move || {
        let wanted = filter.get_untracked();
        let page = ws.with_doc_mut(|doc| {
            let mut current = walk
                .try_update_value(Option::take)
                .flatten()
                .unwrap_or_else(|| HistoryWalk::new(doc.automerge()));
            let page = current.next_page(doc.automerge(), PAGE, SCAN, |e| {
                wanted.keeps(e, &name_of(&e.actor))
            });
            let finished = current.is_done();
            walk.set_value(Some(current));
            (page, finished)
        });
        if let Some((page, finished)) = page {
            entries.update(|list| list.extend(page));
            done.set(finished);
        }
    };
    // From the newest again: on opening, when a filter changes, on Refresh.
    let restart = move || {
        walk.set_value(None);
        entries.set(Vec::new());
        done.set(false);
        more();
    };
    Effect::new(move |_| {
        filter.track();
        restart();
    });
    let people = Memo::new(move |_| {
        let mut list: Vec<String> = names.with(|n| {
            n.values()
                .filter(|name| !name.is_empty())
                .cloned()
                .collect()
        });
        sort_list(&mut list, |a, b| a.to_lowercase().cmp(&b.to_lowercase()));
        list.dedup();
        list
    });
    let show = move |entry: HistoryEntry| {
        let outcome = ws
            .with_doc_mut(|doc| doc.as_of(&entry.hash).map_err(|e| e.to_string()))
            .unwrap_or_else(|| Err("The workspace is closed.".to_owned()));
        as_of.set(Some((entry, outcome)));
        crate::ui::form::focus_button_labelled("Close the earlier state".to_owned());
    };
    // "As of a date": the last change made on or before that day.
    let as_of_day = RwSignal::new(String::new());
    let day_problem = RwSignal::new(None::<String>);
    let show_day = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = as_of_day.get_untracked();
        let Some(end) = crate::workspace::measurements::end_of_day(&day) else {
            day_problem.set(Some("Enter a real date as YYYY-MM-DD.".to_owned()));
            return;
        };
        let found = ws
            .with_doc_mut(|doc| {
                let mut walk = HistoryWalk::new(doc.automerge());
                walk.next_page(doc.automerge(), 1, usize::MAX, |e| e.time <= end)
                    .pop()
            })
            .flatten();
        match found {
            Some(entry) => {
                day_problem.set(None);
                show(entry);
            }
            None => day_problem.set(Some(format!(
                "The workspace did not exist yet on {}.",
                crate::ui::locale::date(&day)
            ))),
        }
    };
    let row = move |entry: HistoryEntry| {
        let who = name_of(&entry.actor);
        let label = format!(
            "As it was then: the workspace after this change ({})",
            when(entry.time)
        );
        let shown = entry.clone();
        view! {
            <li class="history-entry">
                <p class="history-meta">
                    <time>{when(entry.time)}</time>
                    " · "
                    <strong>{who}</strong>
                    " · "
                    <span class="muted">{entry.area.label()}</span>
                </p>
                <p class="history-message">{crate::ui::locale::message(&entry.message)}</p>
                <button type="button" class="link-button" aria-label=label on:click=move |_| show(shown.clone())>
                    "As it was then"
                </button>
            </li>
        }
    };
    view! {
        <section class="history" aria-labelledby="history-heading">
            <div class="section-head">
                <div>
                    <h2 id="history-heading">"History"</h2>
                    <p class="muted">
                        "Every change to this workspace, newest first: who made it, when, and what it did. Choose “As it was then” to see the workspace at that moment."
                    </p>
                </div>
                <button type="button" class="secondary" on:click=move |_| restart()>"Refresh"</button>
            </div>
            <form class="card history-filters" aria-label="Filter the history" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="history-person">"Person"</label>
                    <select id="history-person" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        filter.update(|f| f.person = value);
                    }>
                        <option value="">"Everyone"</option>
                        {move || people.get().into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="history-area">"Area"</label>
                    <select id="history-area" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        filter.update(|f| f.area = HistoryArea::from_slug(&value));
                    }>
                        <option value="">"All areas"</option>
                        {HistoryArea::ALL.into_iter().map(|a| view! { <option value=a.slug()>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="history-from">"From"</label>
                    <input id="history-from" type="date" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        filter.update(|f| f.from = value);
                    }/>
                </div>
                <div class="field">
                    <label for="history-to">"To"</label>
                    <input id="history-to" type="date" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        filter.update(|f| f.to = value);
                    }/>
                </div>
                <div class="field">
                    <label for="history-words">"Containing"</label>
                    <input
                        id="history-words"
                        type="search"
                        placeholder="Phishing"
                        prop:value=move || filter.with(|f| f.words.clone())
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            filter.update(|f| f.words = value);
                        }
                    />
                </div>
            </form>
            <form class="card history-as-of-day" aria-label="The workspace as of a date" on:submit=show_day novalidate>
                <div class="field">
                    <label for="as-of-day">"The workspace as of"</label>
                    <input
                        id="as-of-day"
                        type="date"
                        prop:value=move || as_of_day.get()
                        on:input=move |ev| as_of_day.set(event_target_value(&ev))
                        aria-describedby="as-of-day-message"
                    />
                    <p id="as-of-day-message" class="field-message error">{move || day_problem.get()}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="secondary">"Show"</button>
                </div>
            </form>
            {move || as_of.get().map(|(entry, state)| view! { <AsOf entry state on_close=Callback::new(move |()| as_of.set(None))/> })}
            <Show
                when=move || entries.with(|e| !e.is_empty())
                fallback=move || view! {
                    <p class="muted" role="status">
                        {move || if done.get() { "No change matches these filters." } else { "No matching change among the most recent ones." }}
                    </p>
                }
            >
                <ol class="history-list" aria-label="Changes">
                    {move || entries.get().into_iter().map(row).collect_view()}
                </ol>
            </Show>
            <Show when=move || !done.get()>
                <button type="button" class="secondary" on:click=move |_| more()>"Show older changes"</button>
            </Show>
            <Show when=move || done.get() && entries.with(|e| !e.is_empty())>
                <p class="muted">"That is where the workspace began."</p>
            </Show>
        </section>
    }
}

/// "Deleted since" and a Restore button, shown while the record shown as it
/// was is gone from the workspace now.
#[component]
fn RestoreIfGone(
    /// Whether the record is gone now.
    gone: Signal<bool>,
    /// The button's accessible name ("Restore Encrypt laptops").
    label: String,
    /// Puts the record back.
    restore: Callback<()>,
) -> impl IntoView {
    view! {
        <Show when=move || gone.get()>
            " "
            <span class="badge overdue">"Deleted since"</span>
            " "
            <button type="button" class="link-button" aria-label=label.clone() on:click=move |_| restore.run(())>
                "Restore"
            </button>
        </Show>
    }
}

/// The workspace as it was just after one change: read-only, with a way to
/// put back an objective or a budget line that has been deleted since.
#[component]
fn AsOf(
    entry: HistoryEntry,
    state: Result<Workspace, String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let problem = RwSignal::new(None::<String>);
    let heading = format!("As it was on {}", when(entry.time));
    let body = match state {
        Err(e) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
        Ok(then) => {
            let objectives: Vec<_> = then
                .objectives_in_order()
                .into_iter()
                .map(|(id, o)| (id.clone(), o.clone()))
                .collect();
            let policies: Vec<_> = then.policies.values().cloned().collect();
            let lines: Vec<_> = then
                .budget
                .iter()
                .map(|(id, l)| (id.clone(), l.clone()))
                .collect();
            let (no_objectives, no_policies, no_lines) =
                (objectives.is_empty(), policies.is_empty(), lines.is_empty());
            let none = |empty: bool| empty.then(|| view! { <p class="muted">"None then."</p> });
            let objective_rows = objectives
                .into_iter()
                .map(|(id, objective)| {
                    let (restore_id, restored) = (id.clone(), objective.clone());
                    let gone = move || {
                        ws.state
                            .record(Area::Objectives, &id, |s| !s.objectives.contains_key(&id))
                    };
                    let restore = Callback::new(move |()| {
                        let outcome = ws.run(&profile.author(), |doc, now| {
                            doc.restore_objective(&restore_id, &restored, now)
                        });
                        problem.set(outcome.err().map(|e| e.to_string()));
                    });
                    let restore_label = format!("Restore {}", objective.title);
                    view! {
                        <li>
                            <strong>{objective.title.clone()}</strong>
                            {crate::ui::locale::target(&objective).map(|t| format!(" · target {t}"))}
                            {format!(" · {}", objective.health.label())}
                            <RestoreIfGone gone=Signal::derive(gone) label=restore_label restore/>
                        </li>
                    }
                })
                .collect_view();
            let policy_rows = policies
                .into_iter()
                .map(|p| {
                    let approved = p.approvals.len();
                    let body = p.body.as_str().to_owned();
                    view! {
                        <li>
                            <strong>{p.title.clone()}</strong>
                            {format!(
                                " · {} · {}",
                                p.status.label(),
                                crate::ui::counted(approved, "approved version", "approved versions")
                            )}
                            <details>
                                <summary>{format!("Its text then ({})", p.title)}</summary>
                                <div class="md-text">{crate::ui::policies::markdown_view(&body)}</div>
                            </details>
                        </li>
                    }
                })
                .collect_view();
            let line_rows = lines
                .into_iter()
                .map(|(id, line)| {
                    let (restore_id, restored) = (id.clone(), line.clone());
                    let gone = move || {
                        ws.state
                            .record(Area::Budget, &id, |s| !s.budget.contains_key(&id))
                    };
                    let restore = Callback::new(move |()| {
                        let outcome = ws.run(&profile.author(), |doc, now| {
                            doc.restore_budget_line(&restore_id, &restored, now)
                        });
                        problem.set(outcome.err().map(|e| e.to_string()));
                    });
                    let restore_label = format!("Restore budget line {}", line.label());
                    view! {
                        <li>
                            {line.label()}
                            <RestoreIfGone gone=Signal::derive(gone) label=restore_label restore/>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p>{format!("{} · scope: {}", then.meta.organisation, if then.meta.scope.is_empty() { "not set" } else { &then.meta.scope })}</p>
                <h4>"Objectives"</h4>
                {none(no_objectives)}
                <ul class="as-of-list" aria-label="Objectives then">{objective_rows}</ul>
                <h4>"Policies"</h4>
                {none(no_policies)}
                <ul class="as-of-list" aria-label="Policies then">{policy_rows}</ul>
                <h4>"Budget lines"</h4>
                {none(no_lines)}
                <ul class="as-of-list" aria-label="Budget lines then">{line_rows}</ul>
            }
            .into_any()
        }
    };
    view! {
        <div class="card as-of" role="region" aria-label="The workspace as it was">
            <div class="section-head">
                <h3>{heading}</h3>
                <button type="button" class="link-button quiet" aria-label="Close the earlier state" on:click=move |_| on_close.run(())>
                    "Close"
                </button>
            </div>
            <p class="muted">{format!("Just after: {}", crate::ui::locale::message(&entry.message))}</p>
            {crate::ui::form::problem_notice(problem)}
            {body}
        </div>
    }
}
