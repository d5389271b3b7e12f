fn main() {
    sharestate_app::start();
}
