//! Where things stand: the notice (wallet, settings, pool discovery), the check's progress, and
//! the alert when it stopped.

use super::AppState;
use leptos::prelude::*;

#[component]
pub fn Notice(state: AppState) -> impl IntoView {
    let notice = state.notice;
    view! { <p class="notice" role="status">{move || notice.get()}</p> }
}

/// The check's progress while it runs.
#[component]
pub fn ProgressView(state: AppState) -> impl IntoView {
    let AppState { progress, running, .. } = state;
    view! {
        <div class="progress" role="status" aria-live="polite">
            {move || progress.get().filter(|_| running.get()).map(|p| {
                let epoch = (p.epochs_done + 1).min(p.epochs);
                let text = format!(
                    "{} — epoch {epoch} of {}, {} of {} payouts replayed",
                    p.step, p.epochs, p.replayed, p.known
                );
                view! {
                    <progress max=p.epochs.max(1) value=p.epochs_done></progress>
                    <span>{text}</span>
                }
            })}
        </div>
    }
}

/// Why the check stopped, with Retry (`on_retry`) when trying again may help.
#[component]
pub fn Alert(state: AppState, on_retry: Callback<()>) -> impl IntoView {
    let failure = state.failure;
    move || {
        failure.get().map(|f| {
            view! {
                <div class="alert" role="alert">
                    <p>{f.message.clone()}</p>
                    <Show when=move || f.retryable>
                        <button type="button" on:click=move |_| on_retry.run(())>"Retry"</button>
                    </Show>
                </div>
            }
        })
    }
}
