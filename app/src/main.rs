//! The miner's app: Leptos, client-side rendered, built by Trunk from the root `index.html`.

mod check;
mod model;
mod net;
mod ui;
mod wallet;

fn main() {
    leptos::mount::mount_to_body(ui::App);
}
