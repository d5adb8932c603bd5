//! An objective's measurements (clause 6.2 d, "monitored"): the trend against
//! the target as a small chart, the latest values, a health suggested from the
//! trend, and a form to record a new measurement.

use leptos::prelude::*;

use crate::ui::form::{FormActions, FormErrors, TextField, cancel_on_escape, focus_on_open};
use crate::ui::locale::{self, date, measured};
use crate::ui::{OpenWorkspace, Profile, now, today};
use crate::workspace::measurements::{
    ChartBox, MeasurementDraft, day_of, health_suggestion, series, trend_chart,
};
use crate::workspace::{Field, Health, Objective};

const CHART: ChartBox = ChartBox {
    width: 320.0,
    height: 120.0,
    padding: 10.0,
};

/// The measurements block of one objective.
#[component]
pub fn Measurements(
    /// The objective's id.
    id: String,
    /// The objective, as the list reads it.
    objective: Memo<Option<Objective>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let recording = RwSignal::new(false);
    let record_id = StoredValue::new(id);
    let title = move || objective.with(|o| o.as_ref().map(|o| o.title.clone()).unwrap_or_default());

    let chart = move || {
        let o = objective.get()?;
        let chart = trend_chart(&o, CHART)?;
        let label = format!(
            "Trend of {}: {} measurements, latest {}",
            o.title,
            chart.points.len(),
            chart
                .points
                .last()
                .map(|p| measured(&o, p.value))
                .unwrap_or_default()
        );
        let target = chart.target_y.map(|y| {
            view! {
                <line class="target" x1=CHART.padding y1=y x2=CHART.width - CHART.padding y2=y/>
            }
        });
        let points = chart
            .points
            .iter()
            .map(|p| {
                let tip = format!("{}: {}", date(&p.date), measured(&o, p.value));
                view! { <circle class="point" cx=p.x cy=p.y r="3"><title>{tip}</title></circle> }
            })
            .collect_view();
        Some(view! {
            <svg
                class="trend"
                viewBox=format!("0 0 {} {}", CHART.width, CHART.height)
                role="img"
                aria-label=label
            >
                {target}
                <polyline class="series" points=chart.polyline()/>
                {points}
            </svg>
            <p class="trend-legend">
                {locale::target(&o).map(|t| format!("Dashed line: target {t}")).unwrap_or_default()}
            </p>
        })
    };

    // A person's assessment overrides the measurements: say what they
    // suggest instead, with a way back to them.
    let suggestion = move || {
        let o = objective.get()?;
        let suggested = health_suggestion(&o, day_of(now()))?;
        let judged = o.health != Health::NotAssessed && !o.health_reason.trim().is_empty();
        if !judged || suggested == o.health {
            return None;
        }
        let id = record_id.get_value();
        let follow = move |_| {
            let _ = ws.run(&profile.author(), |doc, now| {
                doc.follow_measurements(&id, now)
            });
        };
        Some(view! {
            <p class="suggestion">
                {format!("The measurements suggest {}. ", suggested.label().to_lowercase())}
                <button type="button" class="link-button" class:hidden=move || ws.read_only.get() on:click=follow>
                    "Follow the measurements"
                </button>
            </p>
        })
    };

    let recent = move || {
        let o = objective.get()?;
        let list = series(&o);
        if list.is_empty() {
            return None;
        }
        let rows = list
            .into_iter()
            .rev()
            .take(5)
            .map(|(_, m)| {
                let value = measured(&o, m.value);
                view! {
                    <li>
                        <span class="muted">{date(&m.date)}</span>
                        <strong>{value}</strong>
                        <span>{m.note.clone()}</span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <ul class="measurement-list" aria-label=format!("Latest measurements of {}", o.title)>
                {rows}
            </ul>
        })
    };

    view! {
        <div class="measurements">
            {chart}
            {recent}
            {suggestion}
            <Show
                when=move || recording.get()
                fallback=move || {
                    view! {
                        <Show when=move || !ws.read_only.get()>
                            <button
                                type="button"
                                aria-label=move || format!("Record measurement of {}", title())
                                on:click=move |_| recording.set(true)
                            >
                                "Record measurement"
                            </button>
                        </Show>
                    }
                }
            >
                <MeasurementForm
                    objective_id=record_id.get_value()
                    on_close=Callback::new(move |()| recording.set(false))
                />
            </Show>
        </div>
    }
}

#[component]
fn MeasurementForm(
    /// The objective the measurement belongs to.
    objective_id: String,
    /// Closes the form.
    on_close: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let date = RwSignal::new(today());
    let value = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let value_ref = NodeRef::<leptos::html::Input>::new();
    focus_on_open(value_ref);
    let prefix = format!("measure-{objective_id}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = MeasurementDraft {
            date: date.get_untracked(),
            value: value.get_untracked(),
            note: note.get_untracked(),
        };
        match ws.run(&profile.author(), |doc, now| {
            doc.add_measurement(&objective_id, &draft, now)
        }) {
            Ok(_) => {
                errors.set(None);
                on_close.run(());
            }
            Err(e) => errors.set(Some(e)),
        }
    };
    view! {
        <form
            class="measurement-form"
            aria-label="Record measurement"
            novalidate
            on:submit=submit
            on:keydown=cancel_on_escape(on_close)
        >
            <TextField
                id=format!("{prefix}-date")
                label="Date measured"
                placeholder="YYYY-MM-DD"
                value=date
                error=errors.field(Field::MeasurementDate)
            />
            <TextField
                id=format!("{prefix}-value")
                label="Value"
                inputmode="decimal"
                value=value
                error=errors.field(Field::MeasurementValue)
                node_ref=value_ref
            />
            <TextField
                id=format!("{prefix}-note")
                label="Note"
                optional=true
                value=note
                error=errors.field(Field::MeasurementNote)
            />
            <FormActions errors=errors save="Save measurement" on_cancel=on_close/>
        </form>
    }
}
