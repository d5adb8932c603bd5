//! People and roles (clause 5.3): who holds which role, and the RACI matrix of
//! ISMS activities with its warnings.

use leptos::prelude::*;

use crate::ui::form::{
    AddButton, ArchivedList, EmptyState, FormActions, FormErrors, ListState, TextField,
    archived_records, cancel_on_escape, editable, focus_later, focus_on_open, id_prefix,
    problem_notice,
};
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::changes::Area;
use crate::workspace::model::sort_list;
use crate::workspace::roles::{
    Person, PersonDraft, Raci, RaciWarning, Role, RoleDraft, RoleKind, STANDARD_ACTIVITIES,
    raci_activities, raci_warnings, required_by_5_3, role_holders,
};
use crate::workspace::{CommandError, Field, Workspace};

/// The people-and-roles section of the open workspace.
#[component]
pub fn RolesSection() -> impl IntoView {
    // A link to one part (…/roles#raci, from the overview) lands on it.
    crate::ui::form::scroll_to_fragment();
    view! {
        <section class="roles" aria-labelledby="roles-heading">
            <div class="section-head">
                <div>
                    <h2 id="roles-heading">"People and roles"</h2>
                    <p class="muted">
                        "Who holds which information security role, with what responsibilities and authorities, and the competence each role needs (ISO/IEC 27001, clauses 5.3 and 7.2)."
                    </p>
                </div>
            </div>
            <nav class="part-nav" aria-label="Parts of this page">
                <a href="#people">"People"</a>
                <a href="#roles">"Roles"</a>
                <a href="#raci">"Who does what"</a>
                <a href="#competence">"Competence"</a>
            </nav>
            <PeoplePart/>
            <RolesPart/>
            <RaciPart/>
            <crate::ui::competence::CompetencePart/>
        </section>
    }
}

/// Ids of the current (not archived) people, oldest first.
fn people_in_order(s: &Workspace) -> Vec<String> {
    let mut people: Vec<_> = s
        .people
        .iter()
        .filter(|(_, p)| p.archived.is_none())
        .collect();
    sort_list(&mut people, |(a_id, a), (b_id, b)| {
        a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
    });
    people.into_iter().map(|(id, _)| id.clone()).collect()
}

/// Ids of the current (not archived) roles, oldest first; also the order of
/// the matrix's columns.
fn roles_in_order(s: &Workspace) -> Vec<String> {
    let mut roles: Vec<_> = s
        .roles
        .iter()
        .filter(|(_, r)| r.archived.is_none())
        .collect();
    sort_list(&mut roles, |(a_id, a), (b_id, b)| {
        a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
    });
    roles.into_iter().map(|(id, _)| id.clone()).collect()
}

// People

#[component]
fn PeoplePart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let list = ListState::new();
    let ListState {
        adding,
        editing,
        problem,
        add_button,
    } = list;
    let ids = Memo::new(move |_| ws.state.read(&[Area::People], people_in_order));

    let add = Callback::new(move |draft: PersonDraft| {
        ws.run(&profile.author(), |doc, now| doc.add_person(&draft, now))
            .map(|_| list.close_add())
    });
    let cancel = Callback::new(move |()| list.close_add());
    let delete = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| doc.archive_person(&id, now)));
    });
    let restore = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| doc.restore_person(&id, now)));
    });
    let archived = Signal::derive(move || {
        ws.state.read(&[Area::People], |s| {
            archived_records(
                s.people
                    .iter()
                    .map(|(id, p)| (id, p.name.clone(), p.archived.as_ref())),
            )
        })
    });

    view! {
        <section class="roles-part" aria-labelledby="people-heading" id="people">
            <div class="section-head">
                <div>
                    <h3 id="people-heading">"People"</h3>
                    <p class="muted">"Everyone who holds, or may hold, an ISMS role."</p>
                </div>
                <AddButton
                    label="Add person"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| list.open_add())
                />
            </div>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <PersonForm
                    name="New person"
                    initial=PersonDraft::default()
                    on_save=add
                    on_cancel=cancel
                />
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState title="No people yet" hint="Add the members of top management and everyone with a security duty." hidden=adding/>
                    }
                }
            >
                <ul class="record-list" aria-label="People">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! { <PersonItem id=id editing=editing on_delete=delete/> }
                        }
                    />
                </ul>
            </Show>
            <ArchivedList what="people" records=archived on_restore=restore/>
        </section>
    }
}

#[component]
fn PersonItem(
    /// The person's id.
    id: String,
    /// Which person is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Deletes the person with the given id.
    on_delete: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let person = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::People, &id, |s| s.people.get(&id).cloned())
        })
    };
    let is_editing = {
        let id = id.clone();
        move || editing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: PersonDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_person(&id, &draft, now)
            })
            .map(|()| {
                editing.set(None);
                focus_later(edit_button);
            })
        })
    };
    let cancel = Callback::new(move |()| {
        editing.set(None);
        focus_later(edit_button);
    });
    let name = move || person.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let view_mode = move || {
        let Some(p) = person.get() else {
            return ().into_any();
        };
        let (edit_id, delete_id) = (id.clone(), id.clone());
        let title = (!p.title.is_empty()).then(|| p.title.clone());
        view! {
            <div class="record-head">
                <div>
                    <p class="record-name">{p.name.clone()}</p>
                    {match title {
                        Some(t) => view! { <p class="record-detail">{t}</p> }.into_any(),
                        None => view! { <p class="record-detail unset">"No job title"</p> }.into_any(),
                    }}
                    {p
                        .email
                        .clone()
                        .map(|e| {
                            view! {
                                <p class="record-detail">
                                    <a href=format!("mailto:{e}")>{e.clone()}</a>
                                </p>
                            }
                        })}
                </div>
                <div class="item-actions" class:hidden=move || ws.read_only.get()>
                    <button
                        type="button"
                        node_ref=edit_button
                        aria-label=format!("Edit {}", p.name)
                        on:click=move |_| editing.set(Some(edit_id.clone()))
                    >
                        "Edit"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        aria-label=format!("Archive {}", p.name)
                        on:click=move |_| on_delete.run(delete_id.clone())
                    >
                        "Archive"
                    </button>
                </div>
            </div>
        }
        .into_any()
    };
    view! {
        <li class="record" aria-label=name>
            {move || {
                if is_editing() {
                    let initial = person.get_untracked().map(|p| person_draft(&p)).unwrap_or_default();
                    view! {
                        <PersonForm name="Edit person" initial=initial on_save=save on_cancel=cancel/>
                    }
                    .into_any()
                } else {
                    view_mode().into_any()
                }
            }}
        </li>
    }
}

/// The form's starting values for an existing person.
fn person_draft(p: &Person) -> PersonDraft {
    PersonDraft {
        name: p.name.clone(),
        title: p.title.clone(),
        email: p.email.clone().unwrap_or_default(),
    }
}

/// Adds or edits a person. Escape cancels; errors appear beside their fields
/// and the first one gets the focus.
#[component]
fn PersonForm(
    /// The form's accessible name ("New person" or "Edit person").
    name: &'static str,
    /// The values the fields start with.
    initial: PersonDraft,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<PersonDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let prefix = id_prefix("new-person", name == "New person");
    let person_name = RwSignal::new(initial.name);
    let title = RwSignal::new(initial.title);
    let email = RwSignal::new(initial.email);
    let errors = FormErrors::new();
    let name_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_on_open(name_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = PersonDraft {
            name: person_name.get_untracked(),
            title: title.get_untracked(),
            email: email.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    view! {
        <form
            class="card form record-form"
            aria-label=name
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <p class="form-title">{name}</p>
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-name")
                    label="Name"
                    value=person_name
                    error=errors.field(Field::PersonName)
                    node_ref=name_ref
                />
                <TextField
                    id=format!("{prefix}-title")
                    label="Job title"
                    optional=true
                    value=title
                    error=errors.field(Field::JobTitle)
                />
                <TextField
                    id=format!("{prefix}-email")
                    label="E-mail"
                    optional=true
                    inputmode="email"
                    placeholder="name@example.com"
                    value=email
                    error=errors.field(Field::Email)
                />
            </div>
            <FormActions errors=errors save="Save person" on_cancel=on_cancel/>
        </form>
    }
}

// Roles

/// The kinds offered in the "Role" select, with the value each option carries.
fn standard_kinds() -> [(&'static str, RoleKind); 7] {
    [
        ("top-management", RoleKind::TopManagement),
        ("ciso", RoleKind::Ciso),
        ("security-officer", RoleKind::SecurityOfficer),
        ("risk-owner", RoleKind::RiskOwner),
        ("department-head", RoleKind::DepartmentHead),
        ("internal-auditor", RoleKind::InternalAuditor),
        ("consultant", RoleKind::Consultant),
    ]
}

/// The select's value for a kind.
fn kind_slug(kind: &RoleKind) -> &'static str {
    standard_kinds()
        .into_iter()
        .find(|(_, k)| k == kind)
        .map_or("custom", |(slug, _)| slug)
}

/// The kind a select value stands for; "custom" takes the typed name.
fn kind_from_slug(slug: &str, custom_name: String) -> RoleKind {
    standard_kinds()
        .into_iter()
        .find(|(s, _)| *s == slug)
        .map_or(RoleKind::Custom(custom_name), |(_, kind)| kind)
}

#[component]
fn RolesPart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let list = ListState::new();
    let ListState {
        adding,
        editing,
        problem,
        add_button,
    } = list;
    let ids = Memo::new(move |_| ws.state.read(&[Area::Roles], roles_in_order));

    let add = Callback::new(move |draft: RoleDraft| {
        ws.run(&profile.author(), |doc, now| doc.add_role(&draft, now))
            .map(|_| list.close_add())
    });
    let cancel = Callback::new(move |()| list.close_add());
    let delete = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| doc.archive_role(&id, now)));
    });
    let restore = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| doc.restore_role(&id, now)));
    });
    let archived = Signal::derive(move || {
        ws.state.read(&[Area::Roles], |s| {
            archived_records(
                s.roles
                    .iter()
                    .map(|(id, r)| (id, r.kind.label().to_owned(), r.archived.as_ref())),
            )
        })
    });

    view! {
        <section class="roles-part" aria-labelledby="role-list-heading" id="roles">
            <div class="section-head">
                <div>
                    <h3 id="role-list-heading">"Roles"</h3>
                    <p class="muted">
                        "The ISMS roles, what each is responsible for, what it may decide, and who holds it."
                    </p>
                </div>
                <AddButton
                    label="Add role"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| list.open_add())
                />
            </div>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <RoleForm name="New role" initial=RoleDraft::default() on_save=add on_cancel=cancel/>
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState title="No roles yet" hint="Start with top management and the CISO, then the other roles your ISMS needs." hidden=adding/>
                    }
                }
            >
                <ul class="record-list" aria-label="Roles">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! {
                                <RoleItem id=id editing=editing on_delete=delete problem=problem/>
                            }
                        }
                    />
                </ul>
            </Show>
            <ArchivedList what="roles" records=archived on_restore=restore/>
        </section>
    }
}

#[component]
fn RoleItem(
    /// The role's id.
    id: String,
    /// Which role is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Deletes the role with the given id.
    on_delete: Callback<String>,
    /// Where a failed change of holders is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let role = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Roles, &id, |s| s.roles.get(&id).cloned())
        })
    };
    let is_editing = {
        let id = id.clone();
        move || editing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: RoleDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_role(&id, &draft, now)
            })
            .map(|()| {
                editing.set(None);
                focus_later(edit_button);
            })
        })
    };
    let cancel = Callback::new(move |()| {
        editing.set(None);
        focus_later(edit_button);
    });
    let label = move || {
        role.with(|r| {
            r.as_ref()
                .map(|r| r.kind.label().to_owned())
                .unwrap_or_default()
        })
    };
    let view_mode = move || {
        let Some(r) = role.get() else {
            return ().into_any();
        };
        let (edit_id, delete_id, holders_id) = (id.clone(), id.clone(), id.clone());
        let name = r.kind.label().to_owned();
        let text = |t: &str| (!t.is_empty()).then(|| t.to_owned());
        view! {
            <div class="record-head">
                <p class="record-name">{name.clone()}</p>
                <div class="item-actions" class:hidden=move || ws.read_only.get()>
                    <button
                        type="button"
                        node_ref=edit_button
                        aria-label=format!("Edit {name}")
                        on:click=move |_| editing.set(Some(edit_id.clone()))
                    >
                        "Edit"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        aria-label=format!("Archive {name}")
                        on:click=move |_| on_delete.run(delete_id.clone())
                    >
                        "Archive"
                    </button>
                </div>
            </div>
            <dl class="role-facts">
                <LongFact term="Responsibilities" value=text(&r.responsibilities)/>
                <LongFact term="Authorities" value=text(&r.authorities)/>
                <LongFact term="Competence needed" value=text(&r.competence)/>
            </dl>
            <Holders role_id=holders_id problem=problem/>
            {former_holders(ws, &r)}
        }
        .into_any()
    };
    view! {
        <li class="record" aria-label=label>
            {move || {
                if is_editing() {
                    let initial = role.get_untracked().map(|r| role_draft(&r)).unwrap_or_default();
                    view! { <RoleForm name="Edit role" initial=initial on_save=save on_cancel=cancel/> }
                        .into_any()
                } else {
                    view_mode().into_any()
                }
            }}
        </li>
    }
}

/// Who held the role before, with since and until: 5.3's assignments have a history.
fn former_holders(ws: OpenWorkspace, role: &Role) -> Option<impl IntoView> {
    let former = role.former_in_order();
    if former.is_empty() {
        return None;
    }
    let items = ws.state.read(&[Area::People], |s| {
        former
            .iter()
            .map(|h| {
                let name = s
                    .people
                    .get(&h.person)
                    .map_or_else(|| "Someone no longer listed".to_owned(), |p| p.name.clone());
                format!(
                    "{name}, {} to {}",
                    crate::ui::locale::day_at(h.since),
                    crate::ui::locale::day_at(h.until)
                )
            })
            .collect::<Vec<_>>()
    });
    Some(view! {
        <p class="former-holders muted">{format!("Held before by {}", items.join("; "))}</p>
    })
}

#[component]
fn LongFact(
    /// What the value is.
    term: &'static str,
    /// The value, or nothing to show "Not set".
    value: Option<String>,
) -> impl IntoView {
    view! {
        <div class="long-fact">
            <dt>{term}</dt>
            {match value {
                Some(v) => view! { <dd>{v}</dd> }.into_any(),
                None => view! { <dd class="unset">"Not set"</dd> }.into_any(),
            }}
        </div>
    }
}

/// Who holds a role: a checkbox per person, or for readers a plain list.
#[component]
fn Holders(
    /// The role's id.
    role_id: String,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let people = Memo::new(move |_| {
        ws.state.read(&[Area::People], |s| {
            people_in_order(s)
                .into_iter()
                .filter_map(|id| s.people.get(&id).map(|p| (id.clone(), p.name.clone())))
                .collect::<Vec<_>>()
        })
    });
    let holder_names = {
        let role_id = role_id.clone();
        move || {
            ws.state.read(&[Area::Roles, Area::People], |s| {
                let names: Vec<String> = role_holders(s, &role_id)
                    .into_iter()
                    .map(|(_, p)| p.name.clone())
                    .collect();
                if names.is_empty() {
                    "Held by nobody yet.".to_owned()
                } else {
                    format!("Held by {}.", names.join(", "))
                }
            })
        }
    };
    let role_key = StoredValue::new(role_id.clone());
    let toggle = {
        let role_id = role_id.clone();
        Callback::new(move |(person_id, holds): (String, bool)| {
            ws.run(&profile.author(), |doc, now| {
                doc.set_role_holder(&role_id, &person_id, holds, now)
            })
            .map_err(|e| e.to_string())
        })
    };
    view! {
        <p class="record-detail" class:hidden=move || !ws.read_only.get()>{holder_names}</p>
        <fieldset class="holders" class:hidden=move || ws.read_only.get()>
            <legend>"Held by"</legend>
            <Show
                when=move || !people.with(Vec::is_empty)
                fallback=|| view! { <p class="muted">"Add people above to give them this role."</p> }
            >
                <For
                    each=move || people.get()
                    key=|p| p.clone()
                    children=move |(person_id, person_name)| {
                        let checked = {
                            let person_id = person_id.clone();
                            move || {
                                role_key.with_value(|role_id| {
                                    ws.state.read(&[Area::Roles], |s| {
                                        s.roles
                                            .get(role_id)
                                            .is_some_and(|r| r.holders.contains_key(&person_id))
                                    })
                                })
                            }
                        };
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let holds = event_target_checked(&ev);
                                        match toggle.run((person_id.clone(), holds)) {
                                            Ok(()) => problem.set(None),
                                            Err(e) => {
                                                event_target::<web_sys::HtmlInputElement>(&ev)
                                                    .set_checked(!holds);
                                                problem.set(Some(e));
                                            }
                                        }
                                    }
                                />
                                {person_name}
                            </label>
                        }
                    }
                />
            </Show>
        </fieldset>
    }
}

/// The form's starting values for an existing role.
fn role_draft(r: &Role) -> RoleDraft {
    RoleDraft {
        kind: r.kind.clone(),
        responsibilities: r.responsibilities.clone(),
        authorities: r.authorities.clone(),
        competence: r.competence.clone(),
    }
}

/// Adds or edits a role. Choosing "Custom" asks for the role's name.
#[component]
fn RoleForm(
    /// The form's accessible name ("New role" or "Edit role").
    name: &'static str,
    /// The values the fields start with.
    initial: RoleDraft,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<RoleDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let prefix = id_prefix("new-role", name == "New role");
    let kind = RwSignal::new(kind_slug(&initial.kind).to_owned());
    let custom_name = RwSignal::new(match &initial.kind {
        RoleKind::Custom(n) => n.clone(),
        _ => String::new(),
    });
    let responsibilities = RwSignal::new(initial.responsibilities);
    let authorities = RwSignal::new(initial.authorities);
    let competence = RwSignal::new(initial.competence);
    let errors = FormErrors::new();
    let kind_ref = NodeRef::<leptos::html::Select>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(select) = kind_ref.get() {
            let _ = select.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = RoleDraft {
            kind: kind_from_slug(&kind.get_untracked(), custom_name.get_untracked()),
            responsibilities: responsibilities.get_untracked(),
            authorities: authorities.get_untracked(),
            competence: competence.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let kind_id = format!("{prefix}-kind");
    let kind_hint_id = format!("{prefix}-kind-hint");
    let custom_id = format!("{prefix}-name");
    let is_custom = move || kind.with(|k| k == "custom");
    view! {
        <form
            class="card form record-form"
            aria-label=name
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <p class="form-title">{name}</p>
            <div class="field-row">
                <div class="field">
                    <label for=kind_id.clone()>"Role"</label>
                    <select
                        id=kind_id
                        node_ref=kind_ref
                        aria-describedby=kind_hint_id.clone()
                        prop:value=move || kind.get()
                        on:change=move |ev| kind.set(event_target_value(&ev))
                    >
                        {standard_kinds()
                            .into_iter()
                            .map(|(slug, k)| {
                                view! {
                                    <option value=slug prop:selected=move || kind.with(|v| v == slug)>
                                        {k.label().to_owned()}
                                    </option>
                                }
                            })
                            .collect_view()}
                        <option value="custom" prop:selected=is_custom>
                            "Custom"
                        </option>
                    </select>
                    <p id=kind_hint_id class="hint" class:hidden=move || kind.with(|k| k != "top-management")>
                        "Whoever directs and controls the organisation, or the unit the ISMS covers, at the highest level."
                    </p>
                </div>
                <Show when=is_custom>
                    <TextField
                        id=custom_id.clone()
                        label="Role name"
                        value=custom_name
                        error=errors.field(Field::RoleName)
                    />
                </Show>
            </div>
            <TextField
                id=format!("{prefix}-responsibilities")
                label="Responsibilities"
                optional=true
                multiline=true
                value=responsibilities
                error=errors.field(Field::Responsibilities)
            />
            <TextField
                id=format!("{prefix}-authorities")
                label="Authorities"
                optional=true
                multiline=true
                value=authorities
                error=errors.field(Field::Authorities)
            />
            <TextField
                id=format!("{prefix}-competence")
                label="Competence needed"
                hint="The education, training, experience or certifications someone in this role needs (clause 7.2)."
                optional=true
                multiline=true
                value=competence
                error=errors.field(Field::RoleCompetence)
            />
            <FormActions errors=errors save="Save role" on_cancel=on_cancel/>
        </form>
    }
}

// RACI matrix

/// One row of the matrix as the table shows it.
#[derive(Clone, PartialEq)]
struct Row {
    id: String,
    name: String,
    custom: bool,
}

/// A warning as a sentence that names the activity (and the roles).
fn warning_text(s: &Workspace, rows: &[Row], warning: &RaciWarning) -> String {
    let activity = |id: &str| {
        rows.iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_owned(), |r| r.name.clone())
    };
    match warning {
        RaciWarning::NoAccountable(id) if required_by_5_3(id) => format!(
            "{} has no Accountable role. Clause 5.3 requires top management to assign it.",
            activity(id)
        ),
        RaciWarning::NoAccountable(id) => {
            format!("{} has no Accountable role.", activity(id))
        }
        RaciWarning::SeveralAccountable(id, roles) => {
            let mut labels: Vec<&str> = roles
                .iter()
                .filter_map(|r| s.roles.get(r).map(|r| r.kind.label()))
                .collect();
            sort_list(&mut labels, Ord::cmp);
            format!(
                "{} has more than one Accountable role: {}.",
                activity(id),
                labels.join(", ")
            )
        }
    }
}

/// A letter as the select's value ("" for none).
fn raci_value(letter: Option<Raci>) -> String {
    letter.map(|l| l.letter().to_string()).unwrap_or_default()
}

/// The letter a select value stands for.
fn raci_from_value(value: &str) -> Option<Raci> {
    match value {
        "R" => Some(Raci::Responsible),
        "A" => Some(Raci::Accountable),
        "C" => Some(Raci::Consulted),
        "I" => Some(Raci::Informed),
        _ => None,
    }
}

#[component]
fn RaciPart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let problem = RwSignal::new(None::<String>);
    let rows = Memo::new(move |_| {
        ws.state.read(&[Area::Raci], |s| {
            raci_activities(s)
                .into_iter()
                .map(|(id, a)| Row {
                    custom: !STANDARD_ACTIVITIES.iter().any(|(key, _)| *key == id),
                    id,
                    name: a.name,
                })
                .collect::<Vec<_>>()
        })
    });
    let columns = Memo::new(move |_| {
        ws.state.read(&[Area::Roles], |s| {
            roles_in_order(s)
                .into_iter()
                .filter_map(|id| {
                    s.roles
                        .get(&id)
                        .map(|r| (id.clone(), r.kind.label().to_owned()))
                })
                .collect::<Vec<_>>()
        })
    });
    let warnings = Memo::new(move |_| {
        rows.with(|rows| {
            ws.state.read(&[Area::Raci, Area::Roles], |s| {
                raci_warnings(s)
                    .iter()
                    .map(|w| warning_text(s, rows, w))
                    .collect::<Vec<_>>()
            })
        })
    });
    let remove = Callback::new(move |id: String| {
        match ws.run(&profile.author(), |doc, now| doc.delete_activity(&id, now)) {
            Ok(()) => problem.set(None),
            Err(e) => problem.set(Some(e.to_string())),
        }
    });

    view! {
        <section class="roles-part" aria-labelledby="raci-heading" id="raci">
            <h3 id="raci-heading">"Who does what"</h3>
            <p class="muted">
                "For each ISMS activity: R does the work, A answers for it (exactly one role), C is consulted before, I is informed after."
            </p>
            <Show
                when=move || !warnings.with(Vec::is_empty)
                fallback=|| {
                    view! { <p class="raci-ok">"Every activity has exactly one Accountable role."</p> }
                }
            >
                <ul class="raci-warnings" aria-label="RACI warnings">
                    <For each=move || warnings.get() key=|w| w.clone() children=|w| view! { <li>{w}</li> }/>
                </ul>
            </Show>
            {problem_notice(problem)}
            <Show
                when=move || !columns.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <div class="empty-state">
                            <p class="muted">"Add a role above to fill in the matrix."</p>
                        </div>
                    }
                }
            >
                <div class="table-scroll raci-scroll" tabindex="0" role="region" aria-label="RACI matrix">
                    <table class="raci">
                        <caption>"RACI matrix"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Activity"</th>
                                <For
                                    each=move || columns.get()
                                    key=|c| c.clone()
                                    children=|(_, label)| view! { <th scope="col">{label}</th> }
                                />
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| r.id.clone()
                                children=move |row| {
                                    view! { <RaciRow row=row columns=columns problem=problem on_remove=remove/> }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || editable(ws)>
                <ActivityForm/>
            </Show>
        </section>
    }
}

#[component]
fn RaciRow(
    /// The activity this row is for.
    row: Row,
    /// The roles, as (id, label), in column order.
    columns: Memo<Vec<(String, String)>>,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
    /// Removes the custom activity with the given id.
    on_remove: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let Row { id, name, custom } = row;
    let remove_button = custom.then(|| {
        let id = id.clone();
        view! {
            <button
                type="button"
                class="link-button quiet"
                class:hidden=move || ws.read_only.get()
                aria-label=format!("Remove activity {name}")
                on:click=move |_| on_remove.run(id.clone())
            >
                "Remove"
            </button>
        }
    });
    view! {
        <tr>
            <th scope="row">{name.clone()} {remove_button}</th>
            <For
                each=move || columns.get()
                key=|c| c.clone()
                children=move |(role_id, role)| {
                    let shown = role.clone();
                    view! {
                        <td data-role=shown>
                            <RaciCell
                                activity_id=id.clone()
                                activity=name.clone()
                                role_id=role_id
                                role=role
                                problem=problem
                            />
                        </td>
                    }
                }
            />
        </tr>
    }
}

#[component]
fn RaciCell(
    /// The activity's id.
    activity_id: String,
    /// The activity's name, for the cell's label.
    activity: String,
    /// The role's id.
    role_id: String,
    /// The role's label, for the cell's label.
    role: String,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let current = {
        let (activity_id, role_id) = (activity_id.clone(), role_id.clone());
        Memo::new(move |_| {
            ws.state.record(Area::Raci, &activity_id, |s| {
                s.raci
                    .get(&activity_id)
                    .and_then(|a| a.assignments.get(&role_id).copied())
            })
        })
    };
    let set = Callback::new(move |value: String| {
        let letter = raci_from_value(&value);
        match ws.run(&profile.author(), |doc, now| {
            doc.set_raci(&activity_id, &role_id, letter, now)
        }) {
            Ok(()) => problem.set(None),
            Err(e) => problem.set(Some(e.to_string())),
        }
    });
    let label = format!("{activity} — {role}");
    move || {
        if ws.read_only.get() {
            let letter = current.get().map(|l| l.letter().to_string());
            view! { <span class="raci-letter">{letter.unwrap_or_else(|| "—".to_owned())}</span> }
                .into_any()
        } else {
            view! {
                <select
                    class="raci-select"
                    aria-label=label.clone()
                    prop:value=move || raci_value(current.get())
                    on:change=move |ev| set.run(event_target_value(&ev))
                >
                    {["", "R", "A", "C", "I"]
                        .into_iter()
                        .map(|value| {
                            let shown = if value.is_empty() { "—" } else { value };
                            view! {
                                <option
                                    value=value
                                    prop:selected=move || raci_value(current.get()) == value
                                >
                                    {shown}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
    }
}

/// Adds a custom activity as a new row of the matrix.
#[component]
fn ActivityForm() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let activity_name = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = activity_name.get_untracked();
        let outcome = ws.run(&profile.author(), |doc, now| doc.add_activity(&name, now));
        match outcome {
            Ok(_) => {
                errors.set(None);
                activity_name.set(String::new());
            }
            Err(e) => errors.set(Some(e)),
        }
        if let Some(input) = input_ref.get_untracked() {
            let _ = input.focus();
        }
    };
    view! {
        <form class="activity-form" aria-label="New activity" novalidate on:submit=submit>
            <TextField
                id="new-activity-name".into()
                label="Activity name"
                value=activity_name
                error=errors.field(Field::ActivityName)
                node_ref=input_ref
            />
            <button type="submit">"Add activity"</button>
            {move || errors.other().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        </form>
    }
}
